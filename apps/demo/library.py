"""Demo data of issue 7 (library): CLAIR's guidance and MEXT's curriculum documents,
one of them in two versions. Idempotent: documents already there are left alone. No
notifications are written."""

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.models import ProgrammeYear, User
from apps.demo.documents import pdf_bytes
from apps.learning.models import LibraryDocument, LibraryVersion

Kind = LibraryDocument.Kind
Audience = LibraryDocument.Audience


# (publisher username, kind, audience, title_en, title_ja, summary_en, summary_ja, versions)
DOCUMENTS = [
    (
        "clair",
        Kind.HANDBOOK,
        Audience.CONTRACTING,
        "Contracting Organisation Handbook",
        "任用団体ハンドブック",
        "How to request positions, accept placements, issue contracts and support "
        "participants through the year.",
        "任用団体が配置要望、受入れ、雇用契約、年間の支援を行うための手引き。",
        [
            "First edition for the {last_year} programme year.",
            "Updated re-appointment calendar and paid-leave rules.",
        ],
    ),
    (
        "clair",
        Kind.MANUAL,
        Audience.CONTRACTING,
        "Organisation Manual: arrival and housing",
        "任用団体マニュアル 着任・住居編",
        "Checklists for the participant's arrival: airport pick-up, residence card, "
        "bank account, housing and the first pay day.",
        "着任時のチェックリスト。空港出迎え、在留カード、銀行口座、住居、初回給与。",
        ["Checklists for the summer arrivals."],
    ),
    (
        "clair",
        Kind.QA,
        Audience.CONTRACTING,
        "Questions and answers for contracting organisations",
        "任用団体向けQ&A",
        "Answers to the questions CLAIR is asked most about leave, insurance and tax.",
        "休暇、保険、税金についてよくある質問への回答。",
        ["Questions gathered up to October."],
    ),
    (
        "clair",
        Kind.GENERAL_INFORMATION,
        Audience.PARTICIPANTS,
        "General Information Handbook",
        "一般情報ハンドブック",
        "Living and working in Japan as a JET participant: health insurance, pension, "
        "taxes, leave, counselling and support.",
        "JET参加者として日本で生活し働くための情報。健康保険、年金、税金、休暇、相談窓口。",
        ["Edition for participants arriving in {last_year}."],
    ),
    (
        "mext",
        Kind.CURRICULUM,
        Audience.ALT,
        "Course of Study for Foreign Languages: guide for ALTs",
        "外国語の学習指導要領 ALT向け解説",
        "What elementary and junior high school pupils learn in English, and how team "
        "teaching supports it.",
        "小学校・中学校の外国語で学ぶ内容と、ティーム・ティーチングによる支援。",
        [
            "Guide to the current Course of Study.",
            "Adds classroom examples for elementary grades 3 and 4.",
        ],
    ),
    (
        "mext",
        Kind.STANDARD,
        Audience.SCHOOLS,
        "Standards for team teaching with ALTs",
        "ALTとのティーム・ティーチングの基準",
        "How schools plan lessons with ALTs, share roles and assess pupils.",
        "学校がALTと授業を計画し、役割を分担し、評価する方法。",
        ["Standards agreed with the boards of education."],
    ),
    (
        "mext",
        Kind.TEXT,
        Audience.ALT,
        "We Can! teaching text: lesson plans",
        "We Can! 指導案集",
        "Lesson plans and activities that go with the elementary English textbook.",
        "小学校英語教材に対応した指導案とアクティビティ。",
        ["Lesson plans for units 1 to 9."],
    ),
]


def seed(stdout) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["clair", "mext"])}
    if set(users) != {"clair", "mext"}:
        return
    made = 0
    year = ProgrammeYear.objects.filter(is_current=True).first()
    last_year = (year.year if year else timezone.localdate().year) - 1
    for username, kind, audience, title_en, title_ja, sum_en, sum_ja, notes in DOCUMENTS:
        user = users[username]
        organisation = user.organisation
        if organisation is None:
            continue
        if LibraryDocument.objects.filter(publisher=organisation, title_en=title_en).exists():
            continue
        document = LibraryDocument.objects.create(
            publisher=organisation,
            kind=kind,
            audience=audience,
            title_en=title_en,
            title_ja=title_ja,
            summary_en=sum_en,
            summary_ja=sum_ja,
        )
        slug = title_en.lower().replace(" ", "-").replace(":", "")[:60]
        for number, note in enumerate(notes, start=1):
            version = LibraryVersion(
                document=document,
                number=number,
                filename=f"{slug}-v{number}.pdf",
                note=note.format(last_year=last_year),
                published_by=user,
            )
            version.file.save(
                version.filename,
                ContentFile(pdf_bytes(f"{title_en} - version {number}")),
                save=False,
            )
            version.save()
        made += 1
    if made:
        stdout.write(f"Library: {made} documents.\n")
