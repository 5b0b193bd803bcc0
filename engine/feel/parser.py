"""FEEL parser: tokens to AST (ast.py), DMN 1.5 grammar, recursive descent.

Precedence, lowest first: textual expressions (``if``, ``for``, ``some``/``every``,
``function``), ``or``, ``and``, comparison (``= != < <= > >=``, ``between``, ``in``,
``instance of``), ``+ -``, ``* /``, ``**`` (left-associative: ``3 ** 4 ** 5`` is
``(3 ** 4) ** 5``), unary minus (binds tighter than ``**``: ``-5 ** 2`` is 25), postfix (path
``.name``, filter ``[...]``, invocation ``(...)``), primary.

Names with spaces or special characters (``Applicant Age``, ``Full-Name``, ``string length``)
are read by matching the raw text against the names in scope, longest first; names bound in
the expression itself (context entries, parameters, loop variables) join the scope as they are
read. Nesting deeper than MAX_DEPTH is a syntax error (never a RecursionError).
"""
from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from . import ast as A
from .errors import FeelSyntaxError
from .lexer import NAME_RE, Token, tokenize, unescape
from .types import TypeReader

MAX_DEPTH = 64

RESERVED = {"then", "else", "return", "satisfies", "in", "and", "or", "between", "instance", "of"}
COMPARISONS = ("<", "<=", ">", ">=", "=", "!=")
# Properties of temporal values and ranges with a space in their name (``r.start included``).
PATH_NAMES = ("start included", "end included", "time offset")
@functools.lru_cache(maxsize=1)
def builtin_names() -> frozenset:
    """Names of the built-in functions (VALUES' builtins.BUILTINS, or the legacy table)."""
    from .builtins import BUILTINS
    return frozenset(set(BUILTINS) | {"not"})


@functools.lru_cache(maxsize=64)
def _long_index(names: frozenset) -> dict:
    """first word -> names with more than one token starting with it, longest first."""
    index: dict[str, list] = {}
    for name in names:
        if not name or NAME_RE.fullmatch(name):
            continue
        m = NAME_RE.match(name)
        first = m.group() if m else name[0]
        index.setdefault(first, []).append(name)
    for v in index.values():
        v.sort(key=len, reverse=True)
    return index


@functools.lru_cache(maxsize=4096)
def _token_count(name: str) -> int:
    try:
        return len(tokenize(name)) - 1
    except FeelSyntaxError:
        return 0


def _number_literal(text: str):
    from .values import number
    try:
        return number(Decimal(text))
    except InvalidOperation:               # pragma: no cover - the lexer only passes numbers
        raise FeelSyntaxError(f'"{text}" is geen getal.', "number") from None


def _fold_negative(node):
    if isinstance(node, A.Unary) and node.op == "-" and isinstance(node.operand, A.Literal):
        from .values import is_number
        if is_number(node.operand.value):
            return A.Literal(-node.operand.value)
    return node


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "het einde van de tekst"
    return f'"{tok.text}" op positie {tok.pos + 1}'


class Parser:
    def __init__(self, text: str, names=(), functions=()):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.functions = frozenset(functions)
        self.builtins = builtin_names()
        scope = names if isinstance(names, frozenset) else frozenset(names)
        self.known = scope | self.functions
        self.index = _long_index(scope)
        self.function_index = _long_index(self.functions) if self.functions else {}
        self.builtin_index = _long_index(self.builtins)
        self.local: set[str] = set()        # names bound inside the text
        self.extra: dict[str, list] = {}    # long names bound inside the text
        self.interval_high = 0              # > 0 while reading the upper end of an interval

    # -------------------------------------------------------------- tokens
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def at(self, *texts: str) -> bool:
        tok = self.tokens[self.i]
        return tok.kind in ("op", "name") and tok.text in texts

    def error(self, expected: str, tok: Token | None = None, hint: str = ""):
        tok = tok or self.tok
        raise FeelSyntaxError(f"Verwacht {expected}, maar vond {_describe(tok)}.{hint}", "syntax", tok.pos)

    def take(self, text: str) -> Token:
        tok = self.tok
        if tok.text != text or tok.kind not in ("op", "name"):
            hint = ""
            if text in (")", "]", "}") and tok.kind == "end":
                hint = f' Er ontbreekt een "{text}".'
            self.error(f'"{text}"', tok, hint)
        self.i += 1
        return tok

    def done(self):
        tok = self.tok
        if tok.kind != "end":
            hint = ""
            if tok.text in ("and", "or"):
                hint = " Zet de voorwaarden tussen haakjes."
            elif tok.text == ")":
                hint = ' Er staat een ")" te veel.'
            elif tok.kind == "name" and self.i > 0 and self.tokens[self.i - 1].kind == "name":
                import difflib
                prev = self.tokens[self.i - 1]
                words = self.text[prev.pos:tok.end]
                spaced = sorted(n for n in self.known | self.builtins if " " in n)
                close = difflib.get_close_matches(words, spaced, n=1)
                hint = f' Bedoelde u "{close[0]}"?' if close else " Staat er een operator of komma te weinig?"
            raise FeelSyntaxError(f"Onverwacht {_describe(tok)}; controleer haakjes, komma's en "
                                  f"aanhalingstekens.{hint}", "syntax", tok.pos)

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FeelSyntaxError(f"De expressie is te diep genest (meer dan {MAX_DEPTH} niveaus haakjes of "
                                  f"functies, positie {self.tok.pos + 1}); splits haar op.", "too-deep", self.tok.pos)

    def bind(self, name: str):
        """A name bound inside the text (context entry, parameter, loop variable) joins the scope."""
        self.local.add(name)
        if name and not NAME_RE.fullmatch(name):
            m = NAME_RE.match(name)
            first = m.group() if m else name[0]
            bucket = self.extra.setdefault(first, [])
            if name not in bucket:
                bucket.append(name)
                bucket.sort(key=len, reverse=True)

    def long_name(self, extra=()) -> str | None:
        """The longest known name of more than one token starting at the current token (consumed)."""
        tok = self.tok
        if tok.kind != "name":
            return None
        first = tok.text
        candidates = (list(self.extra.get(first, ())) + list(self.index.get(first, ()))
                      + list(self.function_index.get(first, ())) + list(self.builtin_index.get(first, ()))
                      + list(extra))
        if not candidates:
            return None
        if len(candidates) > 1:
            candidates.sort(key=len, reverse=True)
        text, start = self.text, tok.pos
        for name in candidates:
            if not text.startswith(name, start):
                # the same words with other whitespace ("date and\n  time")
                k = _token_count(name) if " " in name else 0
                if k < 2 or self.i + k >= len(self.tokens):
                    continue
                last = self.tokens[self.i + k - 1]
                if last.kind == "end" or " ".join(text[start:last.end].split()) != " ".join(name.split()):
                    continue
                self.i += k
                return name
            end = start + len(name)
            k = self.i
            while self.tokens[k].kind != "end" and self.tokens[k].end <= end:
                k += 1
            if self.tokens[k - 1].end != end or k - 1 == self.i:
                continue
            self.i = k
            return name
        return None

    # -------------------------------------------------------------- unary tests
    def unary_tests(self):
        if self.at("not") and self.peek().text == "(":
            save = self.i
            self.take("not")
            self.take("(")
            tests = self.positive_tests()
            self.take(")")
            if self.tok.kind == "end":
                return A.Negation(tuple(tests))
            self.i = save                     # not(x) = y: an expression after all
        tests = self.positive_tests()
        self.done()
        return A.AnyOf(tuple(tests))

    def positive_tests(self):
        tests = [self.positive_test()]
        while self.at(","):
            self.take(",")
            tests.append(self.positive_test())
        return tests

    def compare_endpoint(self, op_tok: Token):
        if self.at(*COMPARISONS):
            nxt = self.tok
            after = self.peek()
            sugg = f"{op_tok.text} {after.text}" if after.kind != "end" else op_tok.text
            raise FeelSyntaxError(f'Twee vergelijkingstekens achter elkaar ("{op_tok.text}{nxt.text}") op positie '
                                  f'{op_tok.pos + 1}; bedoelde u {sugg}?', "syntax", nxt.pos)
        return _fold_negative(self.additive())

    def positive_test(self):
        if self.at(*COMPARISONS):
            op_tok = self.tok
            self.i += 1
            return A.Compare(op_tok.text, self.compare_endpoint(op_tok))
        if self.at("[", "]", "(") and self.interval_ahead():
            low, high, lc, hc = self.interval()
            return A.Interval(low, high, lc, hc)
        return A.Compare("=", self.expression())

    def interval_ahead(self) -> bool:
        """At ``(``, ``[`` or ``]``: is this an interval ``(a..b]`` rather than brackets or a list?"""
        depth = 0
        k = self.i + 1
        tokens = self.tokens
        while True:
            tok = tokens[k]
            if tok.kind == "end":
                return False
            if tok.kind == "op":
                t = tok.text
                if t == ".." and depth == 0:
                    return True
                if t in ("(", "[", "{"):
                    depth += 1
                elif t in (")", "]", "}"):
                    depth -= 1
                    if depth < 0:
                        return False
                elif t == "," and depth == 0:
                    return False
            elif tok.kind == "name" and tok.text in ("for", "some", "every", "return", "satisfies", "in"):
                if depth == 0:
                    return False
            k += 1

    def closes_interval(self) -> bool:
        """At ``[`` after an interval's upper end: the closer of ``[a..b[`` (no matching ``]``)?"""
        depth = 0
        for tok in self.tokens[self.i:]:
            if tok.kind == "op":
                if tok.text in ("[", "(", "{"):
                    depth += 1
                elif tok.text in ("]", ")", "}"):
                    depth -= 1
                    if depth == 0:
                        return tok.text != "]"
                    if depth < 0:
                        return True
        return True

    def interval(self):
        opener = self.tok.text
        self.i += 1
        low = _fold_negative(self.additive())
        self.take("..")
        self.interval_high += 1
        try:
            high = _fold_negative(self.additive())
        finally:
            self.interval_high -= 1
        if not self.at("]", "[", ")"):
            self.error('"]", "[" of ")" aan het eind van het bereik')
        closer = self.tok.text
        self.i += 1
        return low, high, opener == "[", closer == "]"

    # -------------------------------------------------------------- expressions
    def expression(self):
        self.enter()
        try:
            return self.disjunction()
        finally:
            self.depth -= 1

    def disjunction(self):
        left = self.conjunction()
        while self.at("or"):
            self.i += 1
            left = A.Binary("or", left, self.conjunction())
        return left

    def conjunction(self):
        left = self.comparison()
        while self.at("and"):
            self.i += 1
            left = A.Binary("and", left, self.comparison())
        return left

    def comparison(self):
        left = self.additive()
        while True:
            if self.at(*COMPARISONS):
                op_tok = self.tok
                self.i += 1
                if self.at(*COMPARISONS) and not (op_tok.text in ("=", "!=")):
                    self.compare_endpoint(op_tok)
                left = A.Binary(op_tok.text, left, self.additive())
            elif self.at("between"):
                self.i += 1
                low = self.additive()
                self.take("and")
                left = A.Between(left, low, self.additive())
            elif self.at("in"):
                self.i += 1
                left = A.In(left, self.in_tests())
            elif self.at("instance") and self.peek().text == "of":
                self.i += 2
                reader = TypeReader(self.tokens, self.text, self.i)
                t = reader.read()
                self.i = reader.i
                left = A.InstanceOf(left, t)
            else:
                return left

    def in_tests(self):
        if self.at("(") and not self.interval_ahead():
            self.take("(")
            self.enter()
            try:
                tests = self.positive_tests()
            finally:
                self.depth -= 1
            self.take(")")
            return A.AnyOf(tuple(tests))
        if self.at(*COMPARISONS):
            op_tok = self.tok
            self.i += 1
            return A.AnyOf((A.Compare(op_tok.text, self.compare_endpoint(op_tok)),))
        if self.at("[", "]", "(") and self.interval_ahead():
            low, high, lc, hc = self.interval()
            return A.AnyOf((A.Interval(low, high, lc, hc),))
        return A.AnyOf((A.Compare("=", self.additive()),))

    def additive(self):
        left = self.multiplicative()
        while self.at("+", "-"):
            op = self.tok.text
            self.i += 1
            left = A.Binary(op, left, self.multiplicative())
        return left

    def multiplicative(self):
        left = self.power()
        while self.at("*", "/"):
            op = self.tok.text
            self.i += 1
            left = A.Binary(op, left, self.power())
        return left

    def power(self):
        left = self.unary()
        while self.at("**"):
            self.i += 1
            left = A.Binary("**", left, self.unary())
        return left

    def unary(self):
        if self.at("-"):
            self.i += 1
            self.enter()
            try:
                return A.Unary("-", self.unary())
            finally:
                self.depth -= 1
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while True:
            if self.at(".") and self.peek().kind in ("name", "string"):
                self.i += 1
                if self.tok.kind == "string":
                    attr = unescape(self.tok.text)
                    self.i += 1
                else:
                    attr = self.long_name(PATH_NAMES)
                    if attr is None:
                        attr = self.tok.text
                        self.i += 1
                        # a name with spaces that is not in scope (an imported decision:
                        # ``modelA.Greet the Person``): two names cannot stand side by side
                        # otherwise, so the following words belong to it
                        while self.tok.kind == "name" and self.tok.text not in RESERVED \
                                and self.tok.text not in ("if", "for", "some", "every", "function"):
                            attr += " " + self.tok.text
                            self.i += 1
                if isinstance(node, A.Name):
                    node = A.Name(node.name + "." + attr)
                else:
                    node = A.Path(node, attr)
            elif self.at("[") and not (self.interval_high and self.closes_interval()):
                self.i += 1
                cond = self.expression()
                self.take("]")
                node = A.Filter(node, cond)
            elif self.at("("):
                args, named = self.arguments()
                node = A.Invoke(node, tuple(args), tuple(named))
            else:
                return node

    def arguments(self):
        self.take("(")
        self.enter()
        args, named = [], []
        try:
            if not self.at(")"):
                while True:
                    pname = self.parameter_name()
                    value = self.expression()
                    if pname is None:
                        if named:
                            self.error("een benoemd argument (naam: waarde) na benoemde argumenten")
                        args.append(value)
                    else:
                        if args:
                            raise FeelSyntaxError("Benoemde en niet-benoemde argumenten mogen niet gemengd worden "
                                                  f"(positie {self.tok.pos + 1}).", "syntax", self.tok.pos)
                        named.append((pname, value))
                    if self.at(","):
                        self.i += 1
                        continue
                    break
        finally:
            self.depth -= 1
        self.take(")")
        return args, named

    def parameter_name(self) -> str | None:
        """``name:`` before an argument (names may have spaces: ``start position: 2``)."""
        k = self.i
        while self.tokens[k].kind == "name":
            k += 1
        if k > self.i and self.tokens[k].text == ":" and self.tokens[k].kind == "op":
            name = self.text[self.tok.pos:self.tokens[k - 1].end]
            self.i = k + 1
            return " ".join(name.split())
        return None

    def primary(self):
        tok = self.tok
        kind = tok.kind
        if kind == "number":
            self.i += 1
            return A.Literal(_number_literal(tok.text))
        if kind == "string":
            self.i += 1
            return A.Literal(unescape(tok.text))
        if kind == "temporal":
            self.i += 1
            text = unescape(tok.text[1:])
            from .interpreter import temporal_value
            value = temporal_value(text)
            return A.Literal(value) if value is not None else A.Temporal(text)
        if kind == "op":
            t = tok.text
            if t in ("(", "[", "]") and self.interval_ahead():
                low, high, lc, hc = self.interval()
                return A.RangeNode(low, high, lc, hc)
            if t == "(":
                self.i += 1
                inner = self.expression()
                self.take(")")
                return inner
            if t == "[":
                return self.list_literal()
            if t == "{":
                return self.context_literal()
            if t in ("<", "<=", ">", ">="):
                self.i += 1
                end = self.compare_endpoint(tok)
                if t[0] == "<":
                    return A.RangeNode(None, end, False, t == "<=")
                return A.RangeNode(end, None, t == ">=", False)
            if t == "=":
                self.i += 1
                point = self.compare_endpoint(tok)
                return A.RangeNode(point, point, True, True)
            if t == "!=":
                hint = " Een vergelijking heeft links en rechts een waarde nodig."
                self.error("een waarde", tok, hint)
            self.error("een waarde", tok)
        if kind == "name":
            return self.name_or_keyword()
        self.error("een waarde", tok)

    def name_or_keyword(self):
        tok = self.tok
        word = tok.text
        name = self.long_name()
        if name is None:
            if word == "true":
                self.i += 1
                return A.Literal(True)
            if word == "false":
                self.i += 1
                return A.Literal(False)
            if word == "null":
                self.i += 1
                return A.Literal(None)
            if word == "if":
                return self.if_expression()
            if word == "for" and self.peek().kind == "name":
                return self.for_expression()
            if word in ("some", "every") and self.peek().kind == "name":
                return self.quantified(word)
            if word == "function" and self.peek().text == "(":
                return self.function_definition()
            if word in RESERVED:
                self.error("een waarde", tok)
            self.i += 1
            name = word
        if self.at("("):
            return self.call(name, tok)
        return A.Name(name)

    def call(self, name: str, tok: Token):
        if not (name in self.local or name in self.known or name in self.builtins):
            import difflib
            close = difflib.get_close_matches(name, sorted(self.builtins | self.functions | self.local), n=1)
            hint = f' Bedoelde u "{close[0]}"?' if close else ""
            raise FeelSyntaxError(f'Onbekende functie "{name}" op positie {tok.pos + 1}.{hint}',
                                  "unknown-function", tok.pos)
        args, named = self.arguments()
        node = A.Call(name, tuple(args), tuple(named))
        if (name in ("date", "duration", "time", "date and time") and name not in self.local
                and name not in self.known and len(args) == 1 and not named
                and isinstance(args[0], A.Literal) and isinstance(args[0].value, str)):
            from .interpreter import constant_call
            value = constant_call(name, args[0].value)
            if value is not None:
                return A.Literal(value)
        return node

    # -------------------------------------------------------------- literals
    def list_literal(self):
        self.take("[")
        items = []
        if not self.at("]"):
            items.append(self.expression())
            while self.at(","):
                self.i += 1
                items.append(self.expression())
        self.take("]")
        return A.ListNode(tuple(items))

    def context_literal(self):
        self.take("{")
        self.enter()
        entries = []
        seen = set()
        try:
            if not self.at("}"):
                while True:
                    key_tok = self.tok
                    key = self.context_key()
                    if key in seen:
                        raise FeelSyntaxError(f'De sleutel "{key}" komt twee keer voor in de context '
                                              f"(positie {key_tok.pos + 1}).", "duplicate-key", key_tok.pos)
                    seen.add(key)
                    self.take(":")
                    self.bind(key)          # bound before its value: a function entry may call itself
                    value = self.expression()
                    entries.append((key, value))
                    if self.at(","):
                        self.i += 1
                        continue
                    break
        finally:
            self.depth -= 1
        self.take("}")
        return A.ContextNode(tuple(entries))

    def context_key(self) -> str:
        tok = self.tok
        if tok.kind == "string":
            self.i += 1
            return unescape(tok.text)
        k = self.i
        while self.tokens[k].kind != "end" and not (self.tokens[k].kind == "op" and self.tokens[k].text in (":", ",", "}", "{")):
            k += 1
        if k == self.i or self.tokens[k].text != ":":
            self.error('een naam gevolgd door ":"', tok)
        key = self.text[tok.pos:self.tokens[k - 1].end]
        self.i = k
        return key

    # -------------------------------------------------------------- textual expressions
    def if_expression(self):
        self.take("if")
        self.enter()
        try:
            cond = self.expression()
            self.take("then")
            then = self.expression()
            self.take("else")
            otherwise = self.expression()
        finally:
            self.depth -= 1
        return A.If(cond, then, otherwise)

    def variable_name(self) -> str:
        tok = self.tok
        if tok.kind != "name" or tok.text in RESERVED:
            self.error("een naam", tok)
        k = self.i
        while self.tokens[k].kind == "name" and self.tokens[k].text != "in":
            k += 1
        name = self.text[tok.pos:self.tokens[k - 1].end]
        self.i = k
        return " ".join(name.split())

    def iterations(self):
        its = []
        while True:
            name = self.variable_name()
            self.take("in")
            domain = self.expression()
            upper = None
            if self.at(".."):
                self.i += 1
                upper = self.expression()
            its.append((name, domain, upper))
            self.bind(name)
            if self.at(","):
                self.i += 1
                continue
            return tuple(its)

    def for_expression(self):
        self.take("for")
        self.enter()
        try:
            its = self.iterations()
            self.bind("partial")
            self.take("return")
            body = self.expression()
        finally:
            self.depth -= 1
        return A.ForNode(its, body)

    def quantified(self, kind: str):
        self.take(kind)
        self.enter()
        try:
            its = self.iterations()
            self.take("satisfies")
            cond = self.expression()
        finally:
            self.depth -= 1
        return A.Quantified(kind, its, cond)

    def function_definition(self):
        self.take("function")
        self.take("(")
        params = []
        if not self.at(")"):
            while True:
                tok = self.tok
                if tok.kind != "name":
                    self.error("de naam van een parameter", tok)
                k = self.i
                while self.tokens[k].kind == "name":
                    k += 1
                pname = " ".join(self.text[tok.pos:self.tokens[k - 1].end].split())
                self.i = k
                ptype = None
                if self.at(":"):
                    self.i += 1
                    reader = TypeReader(self.tokens, self.text, self.i)
                    ptype = reader.read()
                    self.i = reader.i
                params.append((pname, ptype))
                self.bind(pname)
                if self.at(","):
                    self.i += 1
                    continue
                break
        self.take(")")
        external = False
        if self.at("external"):
            self.i += 1
            external = True
        self.enter()
        try:
            body = self.expression()
        finally:
            self.depth -= 1
        return A.FunctionDef(tuple(params), body, external)


MAX_TREE_DEPTH = 256     # a long chain such as 1+1+...+1 builds a deep tree: compiling it must not recurse too far


def _tree_depth(node) -> int:
    """The depth of an AST, without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > MAX_TREE_DEPTH:
                return deepest
        stack.extend((child, depth + 1) for child in A.children(current))
    return deepest


def _guard(fn, text):
    try:
        node = fn()
        if _tree_depth(node) > MAX_TREE_DEPTH:
            raise FeelSyntaxError(f"De expressie is te lang of te diep genest (meer dan {MAX_TREE_DEPTH} "
                                  "bewerkingen na elkaar); splits haar op.", "too-deep", 0)
        return node
    except FeelSyntaxError:
        raise
    except RecursionError:
        raise FeelSyntaxError(f"De expressie is te diep genest (meer dan {MAX_DEPTH} niveaus); splits haar op.",
                              "too-deep", 0) from None
    except Exception as exc:            # a parser defect must still read as a finding, never crash a load
        raise FeelSyntaxError(f"De expressie kon niet worden gelezen ({type(exc).__name__}).", "syntax", 0) from exc


def parse_unary_tests(text: str, names=(), functions=()):
    """Parse unary tests (an input-entry cell) into an AST (AnyOf / Negation). Raises FeelSyntaxError."""
    stripped = (text or "").strip()
    if stripped in ("", "-"):
        return A.DONT_CARE
    return _guard(lambda: Parser(stripped, names, functions).unary_tests(), stripped)


def parse_expression(text: str, names=(), functions=()):
    """Parse an expression into an AST. Raises FeelSyntaxError."""
    stripped = (text or "").strip()
    if not stripped:
        raise FeelSyntaxError("De cel is leeg; vul een waarde in.", "empty", 0)

    def run():
        parser = Parser(stripped, names, functions)
        node = parser.expression()
        parser.done()
        return node
    return _guard(run, stripped)


def has_unbracketed_logic(text: str) -> bool:
    """True when ``and``/``or`` stand at the top level of a cell (pyDMNrules then answers false)."""
    depth = 0
    for tok in tokenize(text):
        if tok.text in ("(", "[", "{"):
            depth += 1
        elif tok.text in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and tok.kind == "name" and tok.text in ("and", "or"):
            return True
    return False
