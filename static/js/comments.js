// The comments beside a section (templates/submissions/_comments.html): "Comment on selection" puts
// the passage selected in the section's text into the quote field, and typing "@" and the start of a
// name in a comment offers the coalition's members (an ARIA listbox driven from the keyboard). Without
// this script the quote is typed or pasted and the "Notify" list chooses whom to tell.

// Django's JavaScriptCatalog (templates/base.html loads it before this module); the fallbacks keep
// the English text if it failed to load.
const gettext = window.gettext || ((text) => text);
const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));
const interpolate = window.interpolate
  ? (text, values) => window.interpolate(text, values, true)
  : (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "always" });
const QUOTE_MAX = 1000;
// "@" at the start or after a character that is no part of a word, then what is typed of the name.
const MENTION = /(?:^|[^\p{L}\p{N}_@])@([^@\n]{0,40})$/u;

function announce(panel, text) {
  const status = panel.querySelector("#comments-status");
  if (status) status.textContent = text;
}

// Comment on selection: the text selected last inside the section's text (read page) or the editor.
function setUpQuote(panel) {
  const button = panel.querySelector("[data-comment-on-selection]");
  const quote = panel.querySelector("[data-comment-quote]");
  const form = quote && quote.form;
  if (!button || !quote) return;
  let selected = "";
  const inText = (node) => {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return Boolean(element && element.closest(".submission-text, .ProseMirror, [data-editor-body]"));
  };
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed && inText(selection.anchorNode) && inText(selection.focusNode)) {
      selected = selection.toString().replace(/\s+/g, " ").trim();
    }
  });
  button.hidden = false;
  button.addEventListener("click", () => {
    if (!selected) {
      announce(panel, gettext("Select a passage of the section's text first, then press “Comment on selection”."));
      return;
    }
    quote.value = selected.slice(0, QUOTE_MAX);
    announce(panel, gettext("The selected passage is in the quote field. Write your comment."));
    form.querySelector("[name=body]").focus();
  });
}

let listCounter = 0;

function setUpMentions(panel, textarea) {
  const searchUrl = panel.dataset.searchUrl;
  const form = textarea.form;
  const list = document.createElement("ul");
  listCounter += 1;
  list.id = `mention-list-${listCounter}`;
  list.className = "list-group mention-list mt-1";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", gettext("Members to mention"));
  list.hidden = true;
  textarea.after(list);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);

  let results = [];
  let active = -1;
  let pending = null;
  let typed = null; // {start, end}: where "@name" is in the text

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    results = [];
    active = -1;
    textarea.removeAttribute("aria-activedescendant");
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((item, position) => {
      const chosen = position === index;
      item.setAttribute("aria-selected", chosen ? "true" : "false");
      item.classList.toggle("active", chosen);
    });
    if (index >= 0) textarea.setAttribute("aria-activedescendant", list.children[index].id);
    else textarea.removeAttribute("aria-activedescendant");
  };

  const choose = (index) => {
    const member = results[index];
    if (!member || !typed) return;
    const text = textarea.value;
    const inserted = `@${member.name} `;
    textarea.value = text.slice(0, typed.start) + inserted + text.slice(typed.end);
    const caret = typed.start + inserted.length;
    textarea.setSelectionRange(caret, caret);
    if (!form.querySelector(`input[name=mentions][value="${member.id}"]`)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "mentions";
      input.value = member.id;
      form.append(input);
    }
    close();
    announce(panel, interpolate(gettext("%(name)s will be told of your comment."), { name: member.name }));
  };

  const show = (found) => {
    results = found;
    list.replaceChildren();
    found.forEach((member, index) => {
      const item = document.createElement("li");
      item.id = `${list.id}-${index}`;
      item.className = "list-group-item list-group-item-action";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = member.organisation
        ? interpolate(gettext("%(name)s (%(organisation)s)"), { name: member.name, organisation: member.organisation })
        : member.name;
      item.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus in the text
        choose(index);
      });
      list.append(item);
    });
    list.hidden = found.length === 0;
    highlight(found.length ? 0 : -1);
    announce(
      panel,
      found.length
        ? interpolate(
            ngettext(
              "%(count)s member found: arrow keys to choose, Enter to mention, Escape to close.",
              "%(count)s members found: arrow keys to choose, Enter to mention, Escape to close.",
              found.length,
            ),
            { count: numberFormat.format(found.length) },
          )
        : gettext("No member has that name."),
    );
  };

  const search = () => {
    const caret = textarea.selectionStart;
    const match = MENTION.exec(textarea.value.slice(0, caret));
    if (!match) {
      typed = null;
      close();
      return;
    }
    typed = { start: caret - match[1].length - 1, end: caret };
    const query = match[1];
    clearTimeout(pending);
    pending = setTimeout(async () => {
      try {
        const response = await fetch(`${searchUrl}?${new URLSearchParams({ q: query })}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) return close();
        const data = await response.json();
        if (typed && textarea.value.slice(typed.start + 1, typed.end) === query) show(data.results);
      } catch {
        close();
      }
    }, 150);
  };

  textarea.addEventListener("input", search);
  textarea.addEventListener("keydown", (event) => {
    if (list.hidden || !results.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((active - 1 + results.length) % results.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      if (active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  textarea.addEventListener("blur", () => setTimeout(close, 150));
}

for (const panel of document.querySelectorAll(".section-comments")) {
  setUpQuote(panel);
  for (const textarea of panel.querySelectorAll("textarea[data-mention-input]")) setUpMentions(panel, textarea);
}
