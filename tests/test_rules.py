"""Explicit rules: threats aimed at a person, group abuse, whole-word lexicon floors."""

from __future__ import annotations

import pytest

from service.moderation import lexicon
from service.moderation.normalize import normalize
from service.moderation.rules import (
    ABUSE_TRIGGER,
    FLOOR_WORDS,
    PROMOTION_TRIGGER,
    THREAT_TRIGGER,
    VULGAR_TRIGGER,
    find_group_abuse,
    find_lexicon,
    find_mild_profanity,
    find_promotion,
    find_threats,
    find_vulgar_acts,
    is_reported,
)
from training.evaluate import SUITES, read_lines
from training.guidelines import load_guidelines

THREATS = [
    "I will kill you",
    "i'm going to find you and hurt you",
    "I know where you live",
    "you deserve to die",
    "kill yourself",
    "we will come for you",
    "i will beat the hell out of you",
    "you should be shot",
    "I hope you die",
    "i w1ll k i l l you",
    "someone should shoot that reporter",
    "i am going to strangle the next commenter who says that",
    "we will stone that woman if she comes back",
    "i will beat that coward to death",
    "i'm going to break every bone in his body",
    "im gonna put a bullet through the governor",
    "i will make you bleed for this",
    "someone should burn down the newsroom",
    "the governor who sold the dam contract will be hanged, mark my words",
    "whoever took the aid money will be dragged through the streets",
    "the traders in the bazaar will be butchered once we return",
    "i am going to wait for that columnist after work and make her suffer",
    "we will stab the next soldier who crosses the bridge",
    "i will kil you",
    "i will kick him until he stops breathing",
    "tell the editor his days are numbered",
    "the imam should start counting his days",
    "that referee will not leave duhok in one piece",
    "nice office, it would be a shame if something happened to it",
    "we know which school your kids go to",
    "you won't see it coming",
    "people like that end up in a ditch",
    "a rope and a lamp post for the whole council",
    "the judges won't be safe in their own homes",
    "the governor will get a visit from us",
    "these traitors are going to pay with their lives",
    "i hope somebody finds that journalist in a dark street",
    "i hope the author of this rubbish dies",
    "i hope erdogan dies soon",  # a leader by name
    "i really hope assad gets hanged",
]
NOT_THREATS = [
    "his bodyguards watch his back at every rally",
    "his bodyguards need to watch his back at all times after the assassination attempt",
    "erdogan should watch his back, the economy will cost him the next election",
    "kill every one of them, ali hassan al-majid said on the tapes played at the anfal trial",
    "kill all the men and take the women: that was the isis order in sinjar in 2014",
    "kill them all? that is the militias' answer to everything and it is monstrous",
    "it would be a pity if anything happened to the citadel of erbil during the works",
    "hang them all in the hallway of the museum",
    "i hope your son gets the job in erbil",
    "i hope your city is rebuilt soon",
    "they kill all the fish in the marsh with poison",
    # the words of veiled threats, innocently: stock-phrase patterns for veiled threats
    # were tried on 2026-12-07 and reverted, since readers use them like this
    "accidents happen to people who don't wear seatbelts",
    "as a journalist in iraq you always have to look over your shoulder",
    "congratulations on your retirement, enjoy your last column",
    "you will get a visit from the census team next week",
    "we know where the money went and who signed for it",
    "remember what happened to the last government that raised fuel prices",
    "the ministry's address is easy to find on its website",
    "it would be a shame if he got elected again",
    "enjoy your holiday, see you after the break",
    "accidents happen on that road every winter",
    "people like you make this comment section worth reading",
    "the rain will be a friendly visitor for the farmers this week",
    "the fire will burn down the forest",
    "he deserves a medal",
    "we will break the record",
    "this heat will kill the tomatoes",
    "I could die laughing at this",
    "the police will find the driver",
    "kill the engine before refuelling",
    "the film is about a hitman",
    "we will beat the minister's party at the polls",
    "i will shoot the documentary in erbil next spring",
    "a man was beaten to death in mosul last night",
    "the storm will put a stop to the harvest",
    "we will make them pay at the ballot box",
    "thousands of civilians will be killed if the offensive goes ahead",
    "the next election will be decided in kirkuk",
    "the hostages will be executed unless the ransom is paid, the group said",
    "the days of cheap fuel are numbered",
    "the team came home in one piece after the crash",
    "i hope the virus dies out soon",
    "i hope erdogan's regime dies with him in office",  # a regime, not the man
    "saddam will be hanged tomorrow, the court said",
    "i hope putin loses the war",
    "they were checking under the car for the missing cat",
    "it would be a shame if the festival were cancelled",
    "i know where your office is, i will send the documents",
    "hang all the flags for the newroz holiday",
    "the doctor said his throat was cut by flying glass",
    "refugees are not a burden, they are our neighbours",
    "they will kill the bill in the committee",
    # a review's finds: warnings, history and supplies are no threats
    "if you go to raqqa they will kill you, my cousin warned me",
    "saddam wanted to hang all the kurdish leaders",
    "we'll bring the rope and the tents for the displaced families",
]
VULGAR_ACTS = [
    "the referee can lick my balls",
    "those mps are all jerking each other off",
    "stick your referendum up your arse",
    "i'd happily shag her after the broadcast",
    "he gets a hard-on for tanks",
    "i would bend that presenter over the desk",
    "i'd love to get her alone in my bedroom",
    "what has she got under that skirt",
    "nice legs on the new anchor",
    # sexual harassment in ordinary words
    "i bet the new weather presenter is a freak in bed",
    "she's wild in bed, you can tell",
    "someone should get that reporter into my bed",
    "the spokeswoman got her post on her back",
    "she slept with the editor for that column",
    "the senator would look better without her clothes",
    "the anchor should read the headlines in her lingerie",
    "look at those thighs on the interviewer",
    "the minister's daughter is so hot",
    "@dilan send me your photos tonight babe",
    "whats your number gorgeous",
    "she slept her way to the top of the party list",
    "bring her to my bedroom after the debate",
    "you're only good for one thing, sweetheart",
    "what she needs is a good night with a real man",
    "the whole cabinet can kiss my arse",
    "that presenter has a nice body",
]
NOT_VULGAR = [
    "the army had to lick its wounds after the defeat",
    "the deal was called off",
    "put it up for a vote",
    "i'd like to ask her about the budget",
    "bend the rules over and over",
    "they kicked off the season in duhok",
    "it's hard on families when the salaries are late",
    "i would sleep with the window open in this heat",
    "the children were sent to bed without dinner",
    "nice work on the budget report",
    "she wore a traditional kurdish dress to the ceremony",
    "the ministry is in bed with the oil companies",
    "the hospital in mosul has no free bed for her",
    "the reporter is hot on the trail of the missing funds",
    "the minister is hot-headed and rude",
    "erbil is hot today, 47 degrees",
    "send us your photos of the flood in duhok",
    "what's your number for the aid hotline?",
    "the admin should merge naked short selling into the finance article",
    "she fell on her knees at her son's grave",
    "the displaced family sleeps in a tent with her children",
    "the court heard she was assaulted by the director",
    "she got the job after ten years on the front line",
    "i would like to see the minister in court",
    # a review's finds
    "the host is hot favourite to win the gulf cup",
    "the reporter says the situation is hot",
    "take the children to bed before the curfew",
    "the nurse had to get him into bed after the surgery",
    "the villagers fled without their clothes after the flood",
    "her speech was only good for one thing: delaying the budget",
    "the author has a nice body of work",
    "the team has great legs for the second half",
    "he would be great in bed rest after that injury",
    "kids should be able to play naked in the river",
    "i want to be in a bikini on the beach in antalya",
]
NOT_GROUP_ABUSE_WORDS = [
    "the sunnis in anbar are daesh's first victims",
    "refugees are a burden on the host communities, the un says",
    "kurds are useless at football this season",
    "iraqis are extremists about their tea",
    "the dirty arab-kurdish oil deal was signed yesterday",
    "a dirty turkish trick in the talks",
    "kurds don't deserve to live under occupation",
    "refugees don't deserve to live in tents for ten years",
    "kurdish dogs are loyal guards for the flocks",
    "a kurdish sheepdog won the show",
    "isis told the christians of mosul they must pay jizya or leave",
    "the christians of mosul had to pay jizya under isis",
    "women who don't wear hijab deserve the same respect as anyone",
    "turkish dogs are being culled under the new stray animal law",
    "kurdish donkeys carry the kolbars' loads across the border",
    "my wife says i should spend more time in the kitchen, and she is right",
    "women should be in parliament and on the front line, not stuck in the kitchen",
    "the minister should stop cooking the books",
    "telling women 'go back to the kitchen' is contempt",
    'telling women "go back to the kitchen" is contempt',
    "the reporter should visit the kitchen of the camp to see the hunger",
    "the turkish dogs in the streets of istanbul are fed by everyone",
    "the river is dirty, women and children get sick",
    "refugees should be sent back once the war is over",  # a return that waits for peace
    "syrian refugees should go back home when syria is safe.",
    "refugees should be deported back to their country once peace returns",
    # going home is the displaced's own hope on this site (Sinjar, the Nineveh plains): the
    # model judges "<group> should go back home", the rule only "go back to where"
    "yazidi families should go back home when it is safe, the government must rebuild sinjar",
    "christians should go back home to the nineveh plains, their churches are being rebuilt",
]


@pytest.mark.parametrize("text", NOT_GROUP_ABUSE_WORDS)
def test_groups_described_in_ordinary_words_are_not_group_abuse(text):
    assert not find_group_abuse(normalize(text).text)


GROUP_ABUSE = read_lines(SUITES / "group_abuse.txt")
NOT_GROUP_ABUSE = read_lines(SUITES / "group_neutral.txt")


@pytest.mark.parametrize("text", GROUP_ABUSE)
def test_group_abuse_is_found(text):
    hits = find_group_abuse(normalize(text).text)
    assert hits and all(h.category == "abuse" for h in hits)


@pytest.mark.parametrize("text", NOT_GROUP_ABUSE)
def test_negated_reported_and_neutral_group_statements_are_not_abuse(text):
    assert find_group_abuse(normalize(text).text) == []


@pytest.mark.parametrize("text", THREATS)
def test_threats_are_found(text):
    hits = find_threats(normalize(text).text)
    assert hits and all(h.category == "threat" for h in hits)


@pytest.mark.parametrize("text", NOT_THREATS)
def test_ordinary_sentences_are_not_threats(text):
    assert find_threats(normalize(text).text) == []


def test_lexicon_matches_whole_words_only():
    text = normalize("Scunthorpe, Sussex, assassin, cocktail, therapist and Dickens").text
    assert find_lexicon(text) == []
    hits = find_lexicon(normalize("what a f*cking c u n t").text)
    assert {h.category for h in hits} == {"profanity", "vulgarity"}


def test_swearing_compounds_floor_profanity():
    for text in ("What a shitshow of an election.", "the budget talks are a clusterfuck"):
        assert [h.category for h in find_lexicon(normalize(text).text)] == ["profanity"], text


def test_slurs_floor_abuse():
    hits = find_lexicon(normalize("go away f@ggot").text)
    assert [h.category for h in hits] == ["abuse"]


def test_promotion_needs_a_contact_and_a_call_to_action():
    assert find_promotion(normalize("buy cheap followers at www.cheapfollowers.com").text)
    assert find_promotion(normalize("add me on snapchat @hotgirl99 for free nudes").text)
    assert not find_promotion(normalize("the full report is at www.example.org").text)
    assert not find_promotion(normalize("free parking on sundays").text)


@pytest.mark.parametrize("text", VULGAR_ACTS)
def test_vulgar_acts_are_found(text):
    assert [h.category for h in find_vulgar_acts(normalize(text).text)] == ["vulgarity"]


@pytest.mark.parametrize("text", NOT_VULGAR)
def test_ordinary_phrases_are_not_vulgar_acts(text):
    assert not find_vulgar_acts(normalize(text).text)


# one or more texts for every threat and abuse pattern, in the forms the patterns allow
PATTERN_EXAMPLES = [
    "someone should strangle him",
    "we are going to choke them",
    "you are going to be gassed",
    "you deserve to be hung",
    "they should be exterminated",
    "traitors must be wiped out",
    "he must be put down",
    "shoot yourself",
    "watch your back",
    "you are dead meat",
    "we will hunt down you",
    "i wish you get cancer",
    "sleep with one eye open",
    "someone should burn down the editor's house",
    "we will torch your car",
    "the mayor deserves a bullet",
    "i will break his legs",
    "burn in hell, you",
    "the disabled are subhuman",
    "transpeople are mentally ill",
    "lgbtq are a disease",
    "send them all back to their own countries",
    "filthy gypsy",
    "go back to your village you dirty kurd",
    "dirty arabs ruined this city",
    "go back to iran, you persian dog",
    "i hope your village gets bombed next",
    "your children are beautiful. it would be a pity if anything happened to them",
    "hang them all! every single mp who voted yes",
    "christians should pay jizya like in the old days",
    "women who don't wear hijab deserve what they get",
    "refugees should be sent back when they commit crimes",
    "migrants should be deported.",
    "kurds should be wiped out once the war is over",  # only a return may wait for peace
    "refugees should be sent back when the war ends, and their kids too, we dont want their kind",
    "muslims should be sent back if it is safe or not",
    "arabs should be deported after the war",  # a people, not refugees
    "afghans need to be deported once the war is over? no, now",
    "i fucking hate the jews",
    "asylum seekers are invading",
    "women should never vote",
    "the shia in basra are iranian puppets",
    "iraqi christians are the enemy of our people",
    "turkmen are a nation of spies",
    "refugees are behind every bombing",
    "women are too emotional to judge",
    "migrants bring nothing but crime",
    "armenians have no honour",
    "kurds can't think for themselves",
    "refugees don't deserve citizenship",
    "refugees don't deserve to live here",
    "kurds don't deserve to live in this country.",
    "yazidis deserved what they got",
    "syrians aren't real people",
    "i don't think jews can ever live in peace",
    "i don't consider kurds a real nation",
    "never trust an arab",
    "no turk can ever be trusted",
    "not one refugee in this town deserves to stay",
    "there is no such thing as a moderate muslim",
    "the afghans here are just like rats",
    "afghans in the camps act like savages",
    "lynch all of those judges",
    "hang every one of them at dawn",
    "we'll bring the rope ourselves.",
    "the next imam who says this will get his throat slit",
    "assyrians are godless",
    "refugees are a sickness in this city",
]


def _rule_texts() -> list[str]:
    rows = [r.text for r in load_guidelines()]
    return THREATS + GROUP_ABUSE + PATTERN_EXAMPLES + VULGAR_ACTS + rows


@pytest.mark.parametrize(
    "find, trigger, least",
    [
        (find_threats, THREAT_TRIGGER, 20),
        (find_group_abuse, ABUSE_TRIGGER, 20),
        (find_vulgar_acts, VULGAR_TRIGGER, 9),
    ],
    ids=["threat", "abuse", "vulgar"],
)
def test_no_pattern_matches_without_its_familys_trigger(find, trigger, least):
    """The scorer runs a family's patterns only when a word holds the trigger."""
    matched = 0
    for text in _rule_texts():
        for hit in find(normalize(text).text):
            matched += 1
            assert trigger.search(normalize(text).text[hit.start : hit.end]), text
    assert matched >= least


@pytest.mark.parametrize("text", PATTERN_EXAMPLES)
def test_the_pattern_examples_match(text):
    normalized = normalize(text).text
    assert find_threats(normalized) or find_group_abuse(normalized), text


def test_promotion_and_lexicon_hits_hold_their_triggers():
    text = normalize("buy cheap followers at www.cheapfollowers.com, you fucking c*nt").text
    assert find_promotion(text) and PROMOTION_TRIGGER.search(text)
    assert {text[h.start : h.end] for h in find_lexicon(text)} <= FLOOR_WORDS.keys()


@pytest.mark.parametrize(
    "strong, base",
    [
        (lexicon.STRONG_PROFANITY, lexicon.PROFANITY),
        (lexicon.STRONG_VULGARITY, lexicon.VULGARITY),
        (lexicon.STRONG_SLURS, lexicon.SLURS),
    ],
    ids=["profanity", "vulgarity", "slurs"],
)
def test_strong_sets_are_subsets_of_their_base_lists(strong, base):
    assert strong <= set(base), sorted(strong - set(base))


def test_mild_expletives_are_profanity_and_never_a_floor():
    assert lexicon.MILD_PROFANITY.issubset(lexicon.PROFANITY)
    assert lexicon.MILD_PROFANITY.isdisjoint(FLOOR_WORDS)
    text = normalize("Bloody hell, the dinar dropped again. Go to hell, rot in hell.").text
    assert [text[h.start : h.end] for h in find_mild_profanity(text)] == ["bloody", "hell"]


# a trigger the writer quotes, reports or condemns, and the same triggers used
MENTIONED = [
    "My grandfather was told to 'go back to your own country' when he arrived in 1991.",
    "Calling someone a faggot is disgusting.",
    'He shouted "go back to your own country" at them and was arrested.',
    'Comments like "Arabs are all savages" under this article should be removed.',
    '"I will kill you" he wrote under my post.',
    "The word faggot is a slur.",
    "Muslims are terrorists is a racist lie.",
    "In Kayseri they were told go back to your own country.",
]
USED = [
    "Go back to your own country.",
    'Shut up, you "faggot"',
    "faggots like you should die",
    "Immigrants are criminals and what they do is disgusting.",
    "Refugees are vermin and that is disgusting.",
    "I told you, immigrants are criminals.",
    "I said it before: muslims are animals.",
    "Keep writing lies about the Peshmerga and I will find you and kill you.",
    "The columnist should stick to writing about his own dick instead of politics.",
    "He said nothing. I will kill you.",
]


def _triggers(text: str):
    normalized = normalize(text).text
    hits = find_threats(normalized) + find_group_abuse(normalized) + find_lexicon(normalized)
    assert hits, text
    return normalized, hits


@pytest.mark.parametrize("text", MENTIONED)
def test_quoted_reported_or_condemned_triggers_are_mentions(text):
    normalized, hits = _triggers(text)
    assert all(is_reported(normalized, hit) for hit in hits)


@pytest.mark.parametrize("text", USED)
def test_triggers_the_writer_uses_are_not_mentions(text):
    normalized, hits = _triggers(text)
    assert not any(is_reported(normalized, hit) for hit in hits)


def test_a_beating_threat_reads_the_same_with_the_mild_expletive_blanked():
    for text in ("I will beat the hell out of you", "I will beat the      out of you"):
        assert find_threats(normalize(text).text), text
