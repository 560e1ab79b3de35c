"""The context of placement and contract notices: plain JSON, each name in both
languages (`*_en`, `*_ja`) so the email template picks the recipient's."""


def placement_context(placement) -> dict:
    position = placement.position
    organisation = position.organisation
    application = placement.application
    return {
        "placement": placement.pk,
        "number": application.number,
        "candidate": f"{application.given_names} {application.family_name}".strip(),
        "organisation_en": organisation.name_en,
        "organisation_ja": organisation.name_ja or organisation.name_en,
        "municipality": position.municipality,
        "prefecture_en": position.prefecture.name_en,
        "prefecture_ja": position.prefecture.name_ja,
        "position": position.type,
        "school_level": position.school_level,
        "arrival_group": placement.arrival_group,
    }


def contract_context(contract) -> dict:
    organisation = contract.placement.position.organisation
    return {
        "contract": contract.pk,
        "version": contract.version,
        "contract_year": contract.contract_year,
        "start": contract.start_date.isoformat(),
        "end": contract.end_date.isoformat(),
        "organisation_en": organisation.name_en,
        "organisation_ja": organisation.name_ja or organisation.name_en,
        "participant": contract.participant.get_full_name(),
    }
