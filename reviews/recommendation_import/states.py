"""Recommending States: their names read from a recommendation or a column, matched to the States table.

Names are compared normalised (``state_key``): case-folded, without accents, punctuation or the word
"the", with "&" read as "and". A State is found by its UN short name in English, French or Spanish (so
that a UHRI export in French or Spanish resolves), by one of its ``StateAlias`` rows, or by a form a
short name implies ("Venezuela (Bolivarian Republic of)" is also found as "Venezuela" and "Bolivarian
Republic of Venezuela", "Bolivie (État plurinational de)" as "Bolivie" and "État plurinational de
Bolivie"), and an inverted name ("Korea, Republic of") is also tried the right way round.
"""

import re
import unicodedata
from collections.abc import Iterable

from reviews.models import LOCAL_NAME_FIELDS, NAME_FIELDS, State, StateAlias

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
# A trailing parenthesised group that names a State looks like a name: no digits, a few words.
_NAME_LIKE = re.compile(r"^[^\W\d_][^\d]{1,79}$", re.UNICODE)
_RECOMMENDING = re.compile(r"\brecommending\s+states?\s*:\s*(?P<names>.+?)\s*[.;]?\s*$", re.IGNORECASE | re.DOTALL)
_LONGEST_JOIN = 4


def state_key(name: str) -> str:
    """The form in which two names of one State compare equal."""
    text = name.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _PUNCTUATION.sub(" ", plain.replace("'", ""))
    return " ".join(word for word in plain.split() if word != "the")


def _implied_forms(name: str) -> list[str]:
    """ "Venezuela (Bolivarian Republic of)" -> "Venezuela", "Bolivarian Republic of Venezuela"."""
    match = re.fullmatch(r"\s*(?P<short>[^()]+?)\s*\((?P<long>[^()]+)\)\s*", name)
    if not match:
        return []
    return [match["short"], f"{match['long']} {match['short']}"]


def _inverted(name: str) -> str | None:
    """ "Korea, Republic of" -> "Republic of Korea" (one comma, outside brackets)."""
    if name.count(",") != 1 or "(" in name:
        return None
    before, after = (part.strip() for part in name.split(","))
    return f"{after} {before}" if before and after else None


def _other_names(state: State) -> list[str]:
    """The State's short names in the other languages (French, Spanish) that are set."""
    return [name for field in LOCAL_NAME_FIELDS.values() if (name := getattr(state, field, ""))]


class StateMatcher:
    """Every State's names, read once (two queries), to match any number of names without more."""

    def __init__(self, states: Iterable[State] | None = None, aliases: Iterable[tuple[str, int]] | None = None):
        states = list(State.objects.only("pk", "code", *NAME_FIELDS) if states is None else states)
        if aliases is None:
            aliases = StateAlias.objects.values_list("name", "state_id")
        self.by_pk = {state.pk: state for state in states}
        self._keys: dict[str, State] = {}
        for state in states:
            self._keys[state_key(state.name)] = state
        # The French and Spanish short names, where they do not already name another State.
        for state in states:
            for name in _other_names(state):
                self._keys.setdefault(state_key(name), state)
        for name, state_pk in aliases:
            if state_pk in self.by_pk:
                self._keys.setdefault(state_key(name), self.by_pk[state_pk])
        implied: dict[str, set[int]] = {}
        for state in states:
            for form in (form for name in (state.name, *_other_names(state)) for form in _implied_forms(name)):
                implied.setdefault(state_key(form), set()).add(state.pk)
        for key, pks in implied.items():
            # A form two States would share names neither.
            if len(pks) == 1 and key not in self._keys:
                self._keys[key] = self.by_pk[pks.pop()]

    def match(self, name: str) -> State | None:
        if not name or not name.strip():
            return None
        found = self._keys.get(state_key(name))
        if found is None and (inverted := _inverted(name)):
            found = self._keys.get(state_key(inverted))
        return found

    def split(self, value: str) -> list[str]:
        """The names of a list such as "Chile, Peru; Korea, Republic of": separated by commas or
        semicolons outside brackets, with adjacent pieces joined again when together they name a State
        ("Korea, Republic of", "Venezuela, Bolivarian Republic of")."""
        pieces = [piece for piece in _split_outside_brackets(value, ",;\n") if piece]
        names: list[str] = []
        index = 0
        while index < len(pieces):
            for end in range(min(len(pieces), index + _LONGEST_JOIN), index + 1, -1):
                joined = ", ".join(pieces[index:end])
                if self.match(joined) is not None:
                    names.append(joined)
                    index = end
                    break
            else:
                names.append(pieces[index])
                index += 1
        return names

    def resolve(self, names: Iterable[str]) -> tuple[list[State], list[str]]:
        """The States the names match (each once, in order) and the names that match none."""
        states: list[State] = []
        unresolved: list[str] = []
        for name in names:
            state = self.match(name)
            if state is None:
                unresolved.append(name)
            elif state not in states:
                states.append(state)
        return states, unresolved


def match_state(name: str) -> State | None:
    """The State a name stands for, by its UN short name or another name it is known by, or None."""
    return StateMatcher().match(name)


def _split_outside_brackets(value: str, separators: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char in separators and depth == 0:
            pieces.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    pieces.append("".join(current).strip())
    return pieces


def _trailing_group(text: str) -> tuple[str, str] | None:
    """(text before, inside) of the bracketed group that ends ``text``, brackets nested or not."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return text[:index], text[index + 1 : -1].strip()
    return None


def split_recommendation(text: str, matcher: StateMatcher) -> tuple[str, list[str]]:
    """The recommendation's own words and the names of its recommending States, from
    "Ratify ... (Maldives) (Portugal);", "... (Maldives); (Portugal)" or "... Recommending States: Chile, Peru"."""
    body = text.strip()
    found = _RECOMMENDING.search(body)
    if found:
        return body[: found.start()].strip().rstrip(";,").strip(), matcher.split(found["names"])
    groups: list[str] = []
    remaining = body.rstrip(" ;.,")
    while (group := _trailing_group(remaining)) is not None:
        before, inside = group
        names = [inside] if matcher.match(inside) else matcher.split(inside)
        if not all(matcher.match(name) or _NAME_LIKE.match(name) for name in names):
            break
        # An acronym in brackets ("(CEDAW)", "(OP-CAT)") ends the recommendation's own words.
        if any(not matcher.match(name) and name.upper() == name for name in names):
            break
        groups = names + groups
        remaining = before.rstrip(" ;,")
    if not groups:
        return body.rstrip(" ;"), []
    return remaining.strip(), groups
