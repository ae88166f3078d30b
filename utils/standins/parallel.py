"""The parallel-text stand-in: English sentences and their translations into an invented language.

The offline stand-in of the English-French pairs (:func:`utils.datasets.load_translation_pairs`):
a verb-final language with adjectives after nouns and postpositions, in the tab-separated format
of ``fra.txt``. The translation is a deterministic function of the English sentence
(:func:`translate_to_standin`), so a perfect score is possible.
"""

from __future__ import annotations

import numpy as np

from utils.standins._common import _check_int, _check_seed, _pseudo_words, _stream

__all__ = [
    "STANDIN_FUTURE_SUFFIX",
    "STANDIN_LEXICON",
    "STANDIN_OBJECT_MARKER",
    "STANDIN_PAST_SUFFIX",
    "STANDIN_PLURAL_SUFFIX",
    "make_parallel_pairs",
    "make_parallel_text",
    "translate_to_standin",
]

# English nouns (singular, plural); the first eleven are people or animals and can be subjects.
_NOUNS = [
    ("man", "men"), ("woman", "women"), ("child", "children"), ("dog", "dogs"), ("cat", "cats"),
    ("bird", "birds"), ("teacher", "teachers"), ("student", "students"), ("farmer", "farmers"),
    ("girl", "girls"), ("boy", "boys"),
    ("book", "books"), ("apple", "apples"), ("letter", "letters"), ("house", "houses"),
    ("car", "cars"), ("river", "rivers"), ("tree", "trees"), ("garden", "gardens"),
    ("city", "cities"), ("school", "schools"), ("table", "tables"), ("song", "songs"),
    ("ball", "balls"), ("door", "doors"), ("window", "windows"), ("box", "boxes"),
]
_N_ANIMATE = 11
_SINGULAR_NOUNS = frozenset(singular for singular, _ in _NOUNS)
_ADJECTIVES = "old young small big happy tired red green new quiet clever brave hungry strange".split()
# Transitive verbs: (base, third person singular, past).
_TRANSITIVE = [
    ("see", "sees", "saw"), ("like", "likes", "liked"), ("find", "finds", "found"),
    ("draw", "draws", "drew"), ("write", "writes", "wrote"), ("help", "helps", "helped"),
    ("want", "wants", "wanted"), ("carry", "carries", "carried"), ("open", "opens", "opened"),
    ("love", "loves", "loved"), ("watch", "watches", "watched"), ("follow", "follows", "followed"),
    ("call", "calls", "called"), ("buy", "buys", "bought"),
]
_INTRANSITIVE = [
    ("sleep", "sleeps", "slept"), ("run", "runs", "ran"), ("sing", "sings", "sang"),
    ("wait", "waits", "waited"), ("work", "works", "worked"), ("laugh", "laughs", "laughed"),
    ("swim", "swims", "swam"), ("walk", "walks", "walked"),
]
_PREPOSITIONS = "in near under behind with from".split()
# Pronouns: (subject form, object form, third person singular?).
_PRONOUNS = [("i", "me", False), ("you", "you", False), ("he", "him", True), ("she", "her", True),
             ("we", "us", False), ("they", "them", False)]
_SINGULAR_DETERMINERS = "the a this my your".split()
_PLURAL_DETERMINERS = "the two three some my".split()
_ADVERBS = {"present": ["today", "often"], "past": ["yesterday", "again"], "future": ["tomorrow", "soon"]}

#: Suffixes of the invented language: noun plural, verb past and future, object marker word.
STANDIN_PLURAL_SUFFIX = "ek"
STANDIN_PAST_SUFFIX = "ta"
STANDIN_FUTURE_SUFFIX = "ru"
STANDIN_OBJECT_MARKER = "o"
_LANGUAGE_SEED = 17


def _standin_lexicon() -> dict[str, str]:
    """The invented language's word for each English lemma (fixed, independent of any seed)."""
    lemmas = [n[0] for n in _NOUNS] + _ADJECTIVES + [v[0] for v in _TRANSITIVE + _INTRANSITIVE]
    lemmas += _PREPOSITIONS + [p[0] for p in _PRONOUNS]
    lemmas += sorted(set(_SINGULAR_DETERMINERS + _PLURAL_DETERMINERS))
    lemmas += [a for group in _ADVERBS.values() for a in group]
    rng = np.random.RandomState(_LANGUAGE_SEED)
    # Words that could be confused with a suffixed form or the object marker are excluded.
    taken = {STANDIN_OBJECT_MARKER}
    words = _pseudo_words(rng, len(lemmas), taken, 2, 7)
    return dict(zip(lemmas, words, strict=True))


_STANDIN_LEXICON = _standin_lexicon()

#: The invented language's word for each English lemma (``{"man": ..., "see": ...}``).
STANDIN_LEXICON: dict[str, str] = dict(_STANDIN_LEXICON)


def _english_noun_phrase(rng: np.random.RandomState, animate_only: bool) -> tuple[list[str], list[str]]:
    """An English noun phrase and its translation (noun, adjectives, then determiner)."""
    n_nouns = _N_ANIMATE if animate_only else len(_NOUNS)
    singular, plural = _NOUNS[rng.randint(n_nouns)]
    is_plural = rng.rand() < 0.35
    determiner = (_PLURAL_DETERMINERS if is_plural else _SINGULAR_DETERMINERS)[rng.randint(5)]
    n_adjectives = (0, 0, 1, 1, 2)[rng.randint(5)]
    adjectives = []
    if n_adjectives:
        first = rng.randint(len(_ADJECTIVES))
        adjectives.append(_ADJECTIVES[first])
        if n_adjectives == 2:
            second = rng.randint(len(_ADJECTIVES) - 1)
            adjectives.append(_ADJECTIVES[second + (second >= first)])
    english = [determiner, *adjectives, plural if is_plural else singular]
    if determiner == "a" and english[1][0] in "aeiou":
        english[0] = "an"
    noun = _STANDIN_LEXICON[singular] + (STANDIN_PLURAL_SUFFIX if is_plural else "")
    target = [noun, *(_STANDIN_LEXICON[a] for a in reversed(adjectives)), _STANDIN_LEXICON[determiner]]
    return english, target


def _parallel_sentence(rng: np.random.RandomState) -> tuple[str, str]:
    """One English sentence (3-15 words) and its translation into the invented language."""
    while True:
        tense = ("present", "past", "future")[rng.randint(3)]
        if rng.rand() < 0.35:
            subject_form, _, third_singular = _PRONOUNS[rng.randint(len(_PRONOUNS))]
            subject_en, subject_tg = [subject_form], [_STANDIN_LEXICON[subject_form]]
        else:
            subject_en, subject_tg = _english_noun_phrase(rng, animate_only=True)
            third_singular = subject_en[-1] in _SINGULAR_NOUNS
        transitive = rng.rand() < 0.65
        verbs = _TRANSITIVE if transitive else _INTRANSITIVE
        base, third, past = verbs[rng.randint(len(verbs))]
        if tense == "present":
            verb_en = [third if third_singular else base]
            verb_tg = _STANDIN_LEXICON[base]
        elif tense == "past":
            verb_en = [past]
            verb_tg = _STANDIN_LEXICON[base] + STANDIN_PAST_SUFFIX
        else:
            verb_en = ["will", base]
            verb_tg = _STANDIN_LEXICON[base] + STANDIN_FUTURE_SUFFIX
        object_en: list[str] = []
        object_tg: list[str] = []
        if transitive:
            if rng.rand() < 0.25:
                _, object_form, _ = _PRONOUNS[rng.randint(len(_PRONOUNS))]
                subject_lemma = next(p[0] for p in _PRONOUNS if p[1] == object_form)
                object_en, object_tg = [object_form], [_STANDIN_LEXICON[subject_lemma]]
            else:
                object_en, object_tg = _english_noun_phrase(rng, animate_only=False)
            object_tg = [*object_tg, STANDIN_OBJECT_MARKER]
        place_en: list[str] = []
        place_tg: list[str] = []
        if rng.rand() < 0.4:
            preposition = _PREPOSITIONS[rng.randint(len(_PREPOSITIONS))]
            phrase_en, phrase_tg = _english_noun_phrase(rng, animate_only=False)
            place_en, place_tg = [preposition, *phrase_en], [*phrase_tg, _STANDIN_LEXICON[preposition]]
        adverb_en: list[str] = []
        adverb_tg: list[str] = []
        if rng.rand() < 0.3:
            adverb = _ADVERBS[tense][rng.randint(2)]
            adverb_en, adverb_tg = [adverb], [_STANDIN_LEXICON[adverb]]
        english = subject_en + verb_en + object_en + place_en + adverb_en
        # The invented language: subject, adverb, place, object, verb (verb last).
        target = subject_tg + adverb_tg + place_tg + object_tg + [verb_tg]
        if 3 <= len(english) <= 15:
            return _sentence_case(english), _sentence_case(target)


def _sentence_case(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def translate_to_standin(english: str) -> str:
    """Translate a sentence of the parallel stand-in into the invented language.

    Works for the sentences :func:`make_parallel_pairs` writes (it re-derives the structure from
    the words), so it gives the one correct translation to compare a model's output with.

    Raises:
        ValueError: for a sentence the stand-in's grammar cannot produce.
    """
    if not isinstance(english, str) or not english.strip():
        raise ValueError(f"english={english!r} must be a non-empty sentence.")
    words = english.strip().rstrip(".").lower().split()
    plural_of = {p: s for s, p in _NOUNS}
    nouns = {s for s, _ in _NOUNS}
    verb_forms = {}
    for base, third, past in _TRANSITIVE + _INTRANSITIVE:
        verb_forms[base] = (base, "present")
        verb_forms[third] = (base, "present")
        verb_forms[past] = (base, "past")
    subject_pronouns = {p[0] for p in _PRONOUNS}
    object_pronouns = {p[1]: p[0] for p in _PRONOUNS}

    def noun_phrase(i: int) -> tuple[list[str], int]:
        determiner = "a" if words[i] == "an" else words[i]
        j = i + 1
        adjectives = []
        while j < len(words) and words[j] in _ADJECTIVES:
            adjectives.append(words[j])
            j += 1
        if j >= len(words) or (words[j] not in nouns and words[j] not in plural_of):
            raise ValueError(
                f"{english!r} is not a sentence of the parallel stand-in (no noun after {' '.join(words[i:j])!r})."
            )
        noun = words[j]
        stem = _STANDIN_LEXICON[plural_of.get(noun, noun)] + (STANDIN_PLURAL_SUFFIX if noun in plural_of else "")
        return [stem, *(_STANDIN_LEXICON[a] for a in reversed(adjectives)), _STANDIN_LEXICON[determiner]], j + 1

    try:
        if words[0] in subject_pronouns:
            subject, i = [_STANDIN_LEXICON[words[0]]], 1
        else:
            subject, i = noun_phrase(0)
        if words[i] == "will":
            lemma, tense, i = words[i + 1], "future", i + 2
        else:
            lemma, tense = verb_forms[words[i]]
            i += 1
        suffix = {"present": "", "past": STANDIN_PAST_SUFFIX, "future": STANDIN_FUTURE_SUFFIX}[tense]
        verb = _STANDIN_LEXICON[lemma] + suffix
        obj: list[str] = []
        if i < len(words) and words[i] not in _PREPOSITIONS and words[i] not in _STANDIN_ADVERBS:
            if words[i] in object_pronouns:
                obj, i = [_STANDIN_LEXICON[object_pronouns[words[i]]]], i + 1
            else:
                obj, i = noun_phrase(i)
            obj.append(STANDIN_OBJECT_MARKER)
        place: list[str] = []
        if i < len(words) and words[i] in _PREPOSITIONS:
            phrase, j = noun_phrase(i + 1)
            place, i = [*phrase, _STANDIN_LEXICON[words[i]]], j
        adverb: list[str] = []
        if i < len(words) and words[i] in _STANDIN_ADVERBS:
            adverb, i = [_STANDIN_LEXICON[words[i]]], i + 1
        if i != len(words):
            raise ValueError(
                f"{english!r} is not a sentence of the parallel stand-in (unexpected {' '.join(words[i:])!r})."
            )
    except (IndexError, KeyError) as error:
        raise ValueError(f"{english!r} is not a sentence of the parallel stand-in ({error}).") from None
    return _sentence_case(subject + adverb + place + obj + [verb])


_STANDIN_ADVERBS = {a for group in _ADVERBS.values() for a in group}


def make_parallel_pairs(n_pairs: int = 50_000, seed: int = 0) -> list[tuple[str, str]]:
    """English sentences and their translations into the invented verb-final language.

    English "The old man will see two red birds in the garden." becomes, word for word through a
    fixed lexicon (:data:`STANDIN_LEXICON`), *subject - adverb - place - object + "o" - verb*, with
    adjectives and then the determiner after each noun, the plural as the suffix "ek", the past
    as "ta" and the future as "ru" on the verb ("will see" is one word). The word order differs a
    lot (the English verb is second, the invented one last), the alignment is not monotone, and
    lengths differ, as in real translation; but every sentence has exactly one translation
    (:func:`translate_to_standin`), so a perfect model reaches BLEU 1. English sentences have 3 to
    15 words.

    Args:
        n_pairs: number of pairs (at least 1). A larger ``n_pairs`` with the same seed extends the
            smaller list.
        seed: equal seeds give equal pairs.
    """
    n_pairs = _check_int("n_pairs", n_pairs, 1)
    rng = _stream(_check_seed(seed), 20)
    return [_parallel_sentence(rng) for _ in range(n_pairs)]


def make_parallel_text(n_pairs: int = 50_000, seed: int = 0) -> str:
    """The pairs of :func:`make_parallel_pairs` as a ``fra.txt``-style file.

    One pair per line: ``English<TAB>translation<TAB>attribution``, as the Tatoeba/Anki files do
    (the loader keeps the first two fields), ending with a newline.
    """
    pairs = make_parallel_pairs(n_pairs, seed)
    return "".join(f"{en}\t{tg}\tgenerated stand-in pair #{i + 1}\n" for i, (en, tg) in enumerate(pairs))
