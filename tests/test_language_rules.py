"""Threat, identity-abuse and harassment patterns of the Arabic and Turkish models
(language_rules.py).

Sentences of our own, different from training/suites/languages.csv, so these check the
patterns themselves and the suite stays a measure of them."""

from __future__ import annotations

import pytest

from service.moderation.language_rules import find_hits, is_reported
from service.moderation.script_normalize import normalize_arabic, normalize_turkish, normalizer_for

NORMALIZE = {"ar": normalize_arabic, "tr": normalize_turkish}


def categories(text: str, language: str) -> set[str]:
    return {hit.category for hit in find_hits(NORMALIZE[language](text).text, language)}


@pytest.mark.parametrize(
    "text",
    [
        "والله لأذبحك إذا شفتك",  # I swear I will slaughter you if I see you
        "سنحرقكم واحد واحد",  # we will burn you one by one
        "رح اكسر راسك يا حيوان",  # I'm going to break your head, animal
        "نعرف وين ساكن وما راح نسكت",  # we know where you live
        "هذا الصحفي يستحق الإعدام",  # this journalist deserves execution
        "لازم يعدم قدام الناس",  # he must be executed in public
        "ستدفع الثمن بدمك",  # you will pay the price with your blood
        "رح تدفع ثمن كلامك هذا من دمك",  # you'll pay for these words with your blood
        "والله لنخلص عليك قريب",  # by God we'll finish you off soon
        "يا ريت واحد يطخ هالوزير",  # if only someone would shoot this minister
        "سنصل إليك أينما كنت",  # we will reach you wherever you are
        "الله ياخذ روحك يا كذاب",  # may God take your soul, liar
        "إن شاء الله تموت بحادث",  # God willing you die in an accident
        "سنحرق مقراتكم كما أحرقنا مقرات الحزب",  # we will burn your offices
        "رح نفجر بيتك",  # we're going to blow up your house
        "رح نحرق سيارتك",  # we're going to burn your car
    ],
)
def test_arabic_threats(text):
    assert categories(text, "ar") == {"threat"}


@pytest.mark.parametrize(
    "text",
    [
        "الكرد كلاب ما يستاهلون شي",  # Kurds are dogs
        "اليزيديين مجرد جراثيم",  # Yazidis are mere germs
        "اطردوا كل السوريين من البلد",  # throw every Syrian out of the country
        "العرب ليسوا بشرا",  # Arabs are not human
        "المهاجرين لازم ترحيلهم كلهم",  # the migrants, all must be deported
        "النازحين صاروا مثل الجراد بكل مكان",  # the displaced became like locusts everywhere
        "النساء ناقصات عقل ودين",  # women are lacking in mind and faith
        "اليزيدية عبدة الشيطان",  # the Yazidis (as a community) are devil worshippers
    ],
)
def test_arabic_group_abuse(text):
    assert categories(text, "ar") == {"abuse"}


@pytest.mark.parametrize(
    "text",
    [
        "الجيش قتل عشرات المدنيين في القصف",  # the army killed dozens of civilians
        "ترحيل اللاجئين من لبنان يثير قلق المنظمات",  # deporting refugees worries NGOs
        "الأكراد ليسوا خونة بل شعب يطالب بحقوقه",  # the Kurds are not traitors
        "هدفك من المقال واضح يا أستاذ",  # your aim in the article is clear (هدف, not a verb)
        "سنقاتل في الانتخابات من أجل حقوقنا",  # we will fight in the elections
        "الكلاب الضالة خطر على الأطفال في الحي",  # stray dogs are a danger to children
        "الحكومة تستحق النقد على فشلها",  # the government deserves criticism
        "الحكومة ستدفع الثمن في الانتخابات القادمة",  # the government will pay at the polls
        "الباص ياخذك من الساحة للمطار",  # the bus takes you from the square to the airport
        "سنصل إلى اتفاق قبل العيد",  # we will reach an agreement before the holiday
        "سنكسر قيودكم يا أهل كركوك",  # we will break your chains (solidarity)
        "سنقطع رواتبكم إذا لم تداوموا",  # we will cut your salaries (a ministry's warning)
        "لن نحرق مقراتكم ولا نؤمن بالعنف",  # we will not burn your offices
        "نحن لا نحرق بيوتكم كما فعل البعث",  # we do not burn your houses as the Baath did
        "اليزيدية ضحايا دواعش وليسوا كفارا",  # the Yazidis are victims of Daesh
        "الجراد أكل المحاصيل في سهل نينوى",  # locusts ate the crops on the Nineveh plain
    ],
)
def test_arabic_news_and_criticism_fire_nothing(text):
    assert categories(text, "ar") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Seni öldüreceğim, bunu unutma.",
        "oldurucem seni serefsiz",  # typed without Turkish letters
        "Evini yakarız, haberin olsun.",
        "Nerede oturduğunu biliyorum.",
        "Bu vekil kurşuna dizilmeli.",
        "Kanını dökeceğiz hepinizin.",
        "Bir gün karşıma çık da dilini keseyim.",  # optative: let me cut your tongue
        "Seni buluruz, merak etme.",
        "Kızının okulunu da adresini de biliyoruz.",
        "Sokağa çıkınca arkanı kolla.",
        "Biri şu herifi vursa memleket rahatlar.",
        "Yazara söyleyin, Diyarbakır'a gelirse ayaklarını kırarız.",
        "Hepiniz vatan hainisiniz, kurşuna dizilmeniz lazım.",
        "Umarım en kısa zamanda gebersin.",
        "Bu şehre bir daha gelirse canlı çıkamaz.",
    ],
)
def test_turkish_threats(text):
    assert categories(text, "tr") == {"threat"}


@pytest.mark.parametrize(
    "text",
    [
        "Ermeniler birer mikrop.",
        "Afganlar hayvan gibi yaşıyor, hepsi.",
        "Multeciler sinir disi edilmeli hepsi",
        "Aleviler hain, hep öyleydi.",
        "Göçmenler bu ülkenin kanseri.",
        "Suriyeliler çekirge gibi her yeri sardı.",
        "Afgan dediğin pis olur.",
        "Arap dediğin güvenilmez.",  # an Arab can't be trusted
        "Kürtler güvenilmezdir, tarih bunu gösterdi.",
        "Yahudiler bu ülkenin düşmanıdır.",
        "Ermeniler yüzünden değil, hepsini sürmek lazım bunların.",  # "hepsini sürmek lazım"
        "Kürtlerin soyu kurutulmalı.",  # their lineage must be dried up
        "Ermenilerin soyu sopu kurutulmalı.",
        "kurtlerin soyunu sopunu kurutmak lazim",
        "Suriyelilerin soyunu kurutacağız.",
    ],
)
def test_turkish_group_abuse(text):
    assert categories(text, "tr") == {"abuse"}


@pytest.mark.parametrize(
    "text",
    [
        "Kürtler hain değil, bu ülkenin eşit vatandaşı.",
        "Kurtlar sofrası gibi bir meclis.",  # wolves, not Kurds
        "Maçta rakibi ezeceğiz, hiç şüphem yok.",
        "Pastayı keserim, sonra haberleri izleriz.",
        "Hükümet ekonomiyi öldürdü.",  # the government killed the economy (not "I")
        "Suriyeliler için yeni bir yardım paketi açıklandı.",
        "Kürtler için pis bir oyun oynanıyor.",  # the game is dirty, not the Kurds
        "Kürtlere yönelik terörün kökü kurutulmalı.",  # terror's roots, not a lineage
        "Saddam Kürtlerin soyunu kurutmak istedi, Halepçe'yi unutmadık.",  # history
        "Kürtlerin soyunu kurutmak mümkün değil, biz buradayız.",
        "IŞİD Ezidilerin soyunu kurutmaya çalıştı, dünya seyretti.",
        "Kürtleri katleden DEAŞ'ın soyu kurutulmalı.",  # of Daesh, not of the Kurds
        "Erdoğan Kürtlerin soyunu kurutacak diye korkuyoruz.",  # a fear, not a call
        "Suriyelilere hain diyenler utanmalı.",  # counter-speech
        "Aleviler ayin için cemevinde toplandı.",
        "Suriyeliler düşmanlarından kaçıp buraya geldi.",
        "Kürtler bu hükümete güvenilmez diyor.",  # the Kurds say so of the government
        "Kürtler için seçim sistemi güvenilmez.",
        "Suriyeliler hakkındaki resmi rakamlar güvenilmez.",  # the figures are unreliable
        "Kadınların ifadeleri güvenilmez mi? Bu zihniyet değişmeli.",
        "Seçimde AKP'nin burnunu kıracağız.",  # we'll humble them at the polls
        "Kolunu kanadını kırarız bu iktidarın, sandıkta.",
        "Hiç kimsenin idam edilmemesi gerek.",  # nobody should be executed
        "Gazetecilerin vurulmaması lazım.",
        "Milletvekili idam edilmesi gerektiğini söyledi ve büyük tepki çekti.",
        "İdam edilmesi lazım diyenler utansın.",
        "Biri kapıyı vursa açmayın.",  # knock at the door
        "Çocukların okula gidemediğini biliyoruz.",  # a fact, not a threat
        "Arkana bakmadan kaç derler.",
        "Seçim sonuçları canlı yayında açıklanacak.",
        "Ev fiyatları geberdi bu ara.",  # slang about prices, no person
    ],
)
def test_turkish_news_and_criticism_fire_nothing(text):
    assert categories(text, "tr") == set()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kız kardeşini bize yolla da görelim.", "tr"),
        ("Bacını bana getir, sonra konuşuruz.", "tr"),
        ("KARINI hemen bana gönder", "tr"),
        ("ابعتلي اختك وبعدين نتكلم", "ar"),
        ("جيب لي امك يا شاطر", "ar"),
        ("وابعثلي بنتك", "ar"),
    ],
)
def test_harassment_through_a_readers_family(text, language):
    assert categories(text, language) == {"vulgarity"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kızını okula gönder, eğitim şart.", "tr"),  # to school, not to the writer
        ("Annene selam gönder.", "tr"),
        ("Bana bir kitap gönder.", "tr"),
        ("ابعتلي الرابط لو سمحت", "ar"),
        ("امك وين؟ ابعتلي رقمها", "ar"),  # the order of the idiom is verb first
    ],
)
def test_sending_for_other_things_is_no_harassment(text, language):
    assert categories(text, language) == set()


def test_spans_are_of_the_scoring_copy():
    copy = normalize_turkish("Onu bulursam KAFASINI kırarım.")
    (hit,) = find_hits(copy.text, "tr")
    assert copy.text[hit.start : hit.end].endswith("kafasını kırarım")


def test_other_languages_have_no_patterns():
    assert find_hits("i will kill you", "en") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("من يقول إن اليزيدية عبدة الشيطان جاهل", "ar"),  # whoever says so is ignorant
        ("كتب المسلحون على جدران الحزب: سنحرق مقراتكم، وهذا إرهاب", "ar"),  # the gunmen wrote
        ("Seni öldüreceğim dedi ve gitti, polis arıyor.", "tr"),  # he said so and left
    ],
)
def test_quoted_or_reported_hits_are_mentions(text, language):
    copy = normalizer_for(language)(text).text
    hits = find_hits(copy, language)
    assert hits and all(is_reported(copy, hit, language) for hit in hits)


@pytest.mark.parametrize(
    ("text", "language"), [("سنحرق مقراتكم.", "ar"), ("Seni öldüreceğim.", "tr")]
)
def test_hits_the_writer_means_are_not_mentions(text, language):
    copy = normalizer_for(language)(text).text
    assert not any(is_reported(copy, hit, language) for hit in find_hits(copy, language))
