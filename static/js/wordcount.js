// The portal's one word-count rule, ported line for line from upr_portal/wordcount.py (whose
// docstring explains the rule). The character classes are copied verbatim; the Python test suite runs
// the same fixtures through both implementations and compares these exports with Python's.
//
// countHtml uses a small tokenizer instead of DOMParser so that the editor counts exactly like the
// server's html.parser, in the browser and under Node alike.

export const WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
export const SEPARATING_DASHES = "\u2013\u2014";
export const JOINING_DASHES = "\\-\u2010\u2011\u2012\u2015\u2e3a\u2e3b";
export const INVISIBLE = "\xad\u200b\u200c\u200d\u2060\ufeff";

const SEPARATOR_RUN = new RegExp(`[${WHITESPACE}${SEPARATING_DASHES}]+`);
const WORD_CHARACTER = new RegExp(`[^${JOINING_DASHES}${INVISIBLE}]`);

export const BLOCK_ELEMENTS = new Set([
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"],
  ...["blockquote", "pre", "div", "section", "article", "aside", "header", "footer", "nav", "main"],
  ...["table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"],
  ...["figure", "figcaption", "address", "details", "summary", "br", "hr"],
]);
// Documentation and the parity test only: any element not in BLOCK_ELEMENTS leaves the words around
// it joined, as a browser shows it inline.
export const INLINE_ELEMENTS = new Set(
  ["a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u"],
);
// Their content is not text; like html.parser, skip it up to the closing tag.
export const RAW_TEXT_ELEMENTS = new Set(["script", "style"]);
export const FOOTNOTE_ATTRIBUTE = "data-footnote";

// html.parser's tokens: comment, declaration or processing instruction, end tag, start tag, text.
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<[!?][^>]*>?|<\/([A-Za-z][^\s/>]*)[^>]*>?|<([A-Za-z][^\s/>]*)((?:"[^"]*"|'[^']*'|[^"'>])*)>?|<|[^<]+/g;
const ATTRIBUTE_NAME = /([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?/g;
const CHARACTER_REFERENCE = /&(?:#([0-9]+)|#[xX]([0-9A-Fa-f]+)|([A-Za-z][A-Za-z0-9]*));/g;
// Only references that can change a count need decoding: the others stand for some visible
// character, and their undecoded text counts the same.
const NAMED_REFERENCES = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", Tab: "\t", NewLine: "\n",
  nbsp: "\xa0", NonBreakingSpace: "\xa0", ensp: "\u2002", emsp: "\u2003", emsp13: "\u2004",
  emsp14: "\u2005", numsp: "\u2007", puncsp: "\u2008", thinsp: "\u2009", ThinSpace: "\u2009",
  hairsp: "\u200a", VeryThinSpace: "\u200a", MediumSpace: "\u205f",
  ndash: "\u2013", mdash: "\u2014", hyphen: "\u2010", dash: "\u2010", horbar: "\u2015",
  shy: "\xad", ZeroWidthSpace: "\u200b", zwnj: "\u200c", zwj: "\u200d", NoBreak: "\u2060",
};

function decodeReferences(text) {
  return text.replace(CHARACTER_REFERENCE, (reference, decimal, hex, name) => {
    if (name !== undefined) return NAMED_REFERENCES[name] ?? reference;
    const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex, 16);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : "\ufffd";
  });
}

export function splitWords(text) {
  return text.split(SEPARATOR_RUN).filter((run) => WORD_CHARACTER.test(run));
}

export function countWords(text) {
  return splitWords(text).length;
}

export function countHtml(html) {
  const body = [];
  const notes = [];
  const openSpans = []; // true for a footnote, so its </span> ends the note
  let footnoteDepth = 0;
  const token = new RegExp(TOKEN.source, "g");

  const separate = () => {
    body.push("\n");
    notes.push("\n");
  };
  const handleStartTag = (tag, attributes) => {
    if (BLOCK_ELEMENTS.has(tag)) {
      separate();
    } else if (tag === "span") {
      const names = Array.from(attributes.matchAll(ATTRIBUTE_NAME), (match) => match[1].toLowerCase());
      const isFootnote = names.includes(FOOTNOTE_ATTRIBUTE);
      openSpans.push(isFootnote);
      if (isFootnote) {
        separate();
        footnoteDepth += 1;
      }
    }
  };
  const handleEndTag = (tag) => {
    if (BLOCK_ELEMENTS.has(tag)) {
      separate();
    } else if (tag === "span" && openSpans.length > 0) {
      if (openSpans.pop()) {
        separate();
        footnoteDepth -= 1;
      }
    }
  };

  let match;
  while ((match = token.exec(html)) !== null) {
    const [text, endTag, startTag, attributes] = match;
    if (endTag !== undefined) {
      handleEndTag(endTag.toLowerCase());
    } else if (startTag !== undefined) {
      const tag = startTag.toLowerCase();
      handleStartTag(tag, attributes);
      if (text.endsWith("/>")) {
        handleEndTag(tag);
      } else if (RAW_TEXT_ELEMENTS.has(tag)) {
        const closing = new RegExp(`</${tag}`, "ig");
        closing.lastIndex = token.lastIndex;
        token.lastIndex = closing.exec(html)?.index ?? html.length;
      }
    } else if (!text.startsWith("<") || text === "<") {
      (footnoteDepth ? notes : body).push(decodeReferences(text));
    }
  }
  const count = { body: countWords(body.join("")), notes: countWords(notes.join("")) };
  return { ...count, total: count.body + count.notes };
}

// The words a limit applies to: Word's dialog counts footnotes or not, by a per-document switch.
export function wordsCounted(count, { notesCount }) {
  return notesCount ? count.body + count.notes : count.body;
}
