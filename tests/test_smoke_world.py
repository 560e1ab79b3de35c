from apps.core.models import Country, Organisation, Prefecture


def test_reference_data_is_loaded_by_migration(db):
    assert Prefecture.objects.count() == 47
    assert Prefecture.objects.get(code="28").name_ja == "兵庫県"
    assert Country.objects.get(code="US").name_ja == "アメリカ合衆国"


def test_demo_world_has_the_organisations_the_issue_asks_for(db):
    contracting = Organisation.objects.filter(kind="CONTRACTING")
    assert contracting.count() >= 40
    assert contracting.values("prefecture").distinct().count() >= 15
    countries = set(
        Organisation.objects.filter(kind="MISSION").values_list("country_id", flat=True)
    )
    assert {"US", "GB", "CA", "AU", "NZ", "IE", "PH", "CN"} <= countries
