// The web chat page: posts a question to /api/ask and reads the server-sent events of the answer as they arrive
// (token, notice, citation, usage, error, done). Model output only ever goes into the page as text (textContent, text nodes)
// and links only as the server's own /source/ paths: nothing received is ever parsed as HTML.
"use strict";

const history = [];          // earlier turns, sent with a follow-up so that it can be searched as a standalone question
const maxHistory = 8;

const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const conversation = document.getElementById("conversation");

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

// The section's heading path starts with the document's title ("Warranty > Routers"); without one, the title or the id.
function describeCitation(citation) {
  return citation.headingPath || citation.title || citation.documentId;
}

function describeUsage(usage) {
  const tokens = `${usage.inputTokens} input + ${usage.outputTokens} output tokens${usage.estimated ? " (estimated)" : ""}`;
  const calls = `${usage.calls} model call${usage.calls === 1 ? "" : "s"}`;
  let cost;
  if (usage.calls === 0) {
    cost = "no cost";
  } else if (usage.unpriced.length > 0) {
    cost = `cost unknown for ${usage.unpriced.join(", ")} (no price: set AiEng:Usage:Prices)`;
  } else {
    cost = `cost ${usage.cost.toFixed(6)} ${usage.currency}`;
  }
  return `Usage: ${calls}, ${tokens}, ${cost}.`;
}

// Replaces the answer's plain text with the same text whose [n] markers link to the cited sources.
function linkMarkers(target, text, links) {
  target.textContent = "";
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,4})\]/g)) {
    const link = links.get(Number(match[1]));
    if (!link) { continue; }
    target.append(document.createTextNode(text.slice(last, match.index)));
    const anchor = element("a", "marker", match[0]);
    anchor.href = link;
    target.append(anchor);
    last = match.index + match[0].length;
  }
  target.append(document.createTextNode(text.slice(last)));
}

// Parses one server-sent event block ("event: x\ndata: {...}").
function parseEvent(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) { type = line.slice(6).trim(); }
    else if (line.startsWith("data:")) { data.push(line.slice(5).replace(/^ /, "")); }
  }
  return data.length === 0 ? null : { type, data: JSON.parse(data.join("\n")) };
}

async function ask(question) {
  const turn = element("article", "turn");
  turn.append(element("p", "question", question));
  const answer = element("div", "answer");
  answer.dataset.state = "streaming";
  answer.dataset.tokens = "0";
  const text = element("div", "answer-text");
  const error = element("p", "error");
  error.hidden = true;
  const notice = element("p", "notice");
  notice.hidden = true;
  const sourcesTitle = element("h3", "sources-title", "Sources");
  sourcesTitle.hidden = true;
  const sources = element("ol", "sources");
  const usage = element("p", "usage");
  answer.append(text, notice, error, sourcesTitle, sources, usage);
  turn.append(answer);
  conversation.append(turn);

  let answerText = "";
  const links = new Map();
  const fail = message => {
    error.textContent = message;
    error.hidden = false;
    answer.dataset.state = "error";
  };
  const handle = event => {
    switch (event.type) {
      case "token":
        answerText += event.data.text;
        text.append(document.createTextNode(event.data.text));
        answer.dataset.tokens = String(Number(answer.dataset.tokens) + 1);
        break;
      case "citation": {
        const item = element("li", "source");
        item.value = event.data.number;
        if (event.data.link) {
          links.set(event.data.number, event.data.link);
          const anchor = element("a", "source-link", describeCitation(event.data));
          anchor.href = event.data.link;
          item.append(anchor);
        } else {
          item.append(document.createTextNode(describeCitation(event.data)));
        }
        item.append(document.createTextNode(` (${event.data.documentId}, characters ${event.data.startOffset}-${event.data.endOffset})`));
        sources.append(item);
        sourcesTitle.hidden = false;
        break;
      }
      case "usage":
        usage.textContent = describeUsage(event.data);
        break;
      case "notice":
        notice.textContent = event.data.message;
        notice.hidden = false;
        answer.dataset.finish = event.data.reason;
        break;
      case "error":
        fail(event.data.message);
        break;
      case "done":
        linkMarkers(text, answerText, links);
        if (answer.dataset.state !== "error") {
          answer.dataset.state = "done";
          history.push({ role: "user", text: question }, { role: "assistant", text: answerText });
          history.splice(0, Math.max(0, history.length - maxHistory));
        }
        break;
    }
  };

  try {
    const response = await fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ question, history }),
    });
    if (!response.ok || !response.body) {
      // The server's own message when it gives one as text (for example too many questions), else the status.
      const type = response.headers.get("Content-Type") || "";
      const message = type.startsWith("text/plain") ? (await response.text()).trim() : "";
      fail(message || `The server refused the question (HTTP ${response.status}).`);
      return;
    }

    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) { handle(event); }
      }
    }
    if (answer.dataset.state === "streaming") {
      fail("The answer stopped before it was complete: the connection to the server was lost.");
    }
  } catch (exception) {
    fail(`The server could not be reached (${exception.message}).`);
  } finally {
    document.body.dataset.answers = String(conversation.children.length);
  }
}

form.addEventListener("submit", async event => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) { return; }
  input.value = "";
  send.disabled = true;
  try {
    await ask(question);
  } finally {
    send.disabled = false;
    input.focus();
  }
});
