/* Live board: applies the server's events in seq order, sends changes over the socket,
   reconnects by itself and catches up from the last seq it applied.
   Drag and drop comes from SortableJS; every move also has one "移動…" control per card. */
(function () {
  "use strict";

  var root = document.getElementById("board");
  if (!root) { return; }
  // Django's JavaScript catalogue (jsi18n) provides gettext and interpolate.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (s) { return s; };

  var canWrite = root.dataset.canWrite === "1";
  var cardUrl = root.dataset.cardUrl;
  var statusEl = document.getElementById("board-status");
  var presenceEl = document.getElementById("presence");
  var announcer = document.getElementById("announcer");
  var filtersForm = document.getElementById("filters");

  var state = { seq: 0, columns: new Map(), cards: new Map() };
  var socket = null;
  var retry = 0;
  var closedForGood = false;
  var requestId = 0;
  var pending = new Map();

  // The seq this page has applied, on the board element: what the page shows is the
  // board as of that change (tests and support staff read it).
  function applied(seq) {
    state.seq = seq;
    root.dataset.seq = String(seq);
  }

  function load(snapshot) {
    applied(snapshot.seq);
    state.columns = new Map(snapshot.columns.map(function (c) { return [c.id, c]; }));
    state.cards = new Map(snapshot.cards.map(function (c) { return [c.id, c]; }));
  }

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.state = kind;
    root.classList.toggle("offline", kind === "offline");
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // --- filters (the same rules as tasks.selectors.filter_cards) ----------------------
  function currentFilters() {
    var data = new FormData(filtersForm);
    return {
      assignee: data.get("assignee"), label: data.get("label"),
      due: data.get("due"), text: (data.get("text") || "").toLowerCase()
    };
  }

  // "Today" and "this week" are the hub's days (Asia/Tokyo), as on the server, whatever
  // the browser's own time zone: a volunteer's laptop set to UTC agrees with the page.
  var dayFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: root.dataset.timeZone || "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit"
  });

  function todayIso() { return dayFormat.format(new Date()); }

  function weekEndIso(today) {
    var day = new Date(today + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + (7 - day.getUTCDay()) % 7);  // through Sunday
    return day.toISOString().slice(0, 10);
  }

  function matches(card, f) {
    var any = f.assignee || f.label || f.due || f.text;
    if (card.redacted) { return !any; }
    if (f.assignee && !card.assignees.some(function (a) { return String(a.id) === f.assignee; })) { return false; }
    if (f.label && card.labels.indexOf(f.label) === -1) { return false; }
    var today = todayIso();
    if (f.due === "overdue" && !(card.due && card.due < today)) { return false; }
    if (f.due === "week" && !(card.due && card.due >= today && card.due <= weekEndIso(today))) {
      return false;
    }
    if (f.text && (card.title + " " + card.description).toLowerCase().indexOf(f.text) === -1) { return false; }
    return true;
  }

  // --- rendering ------------------------------------------------------------------------
  // A due date as the server's pages show it (DATE_FORMAT): 2026年11月30日, or
  // November 30, 2026; built from the parts so no time zone can shift the day.
  var dateFormat = new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en-US" : "ja-JP",
    { year: "numeric", month: "long", day: "numeric" });
  function formatDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) { return iso || ""; }
    return dateFormat.format(new Date(+parts[1], +parts[2] - 1, +parts[3]));
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function sorted(columnId) {
    return Array.from(state.cards.values())
      .filter(function (c) { return c.column === columnId && !c.archived; })
      .sort(function (a, b) {
        if (a.position < b.position) { return -1; }
        if (a.position > b.position) { return 1; }
        return a.id - b.id;
      });
  }

  // One "移動…" control per card, a disclosure (it works without JavaScript too, see
  // tasks/_card.html): the column, the place, and a button. Screen readers hear the
  // card's title with it.
  function moveControl(card) {
    var details = el("details", { "class": "move" });
    details.appendChild(el("summary", { "aria-label": interpolate(gettext("「%s」を移動…"), [card.title]) },
      gettext("移動…")));
    var form = el("form", { "class": "move-form", "data-card": card.id });
    var id = "move-" + card.id;
    form.appendChild(el("label", { "for": id }, gettext("移動先の列")));
    var select = el("select", { id: id, name: "column" });
    state.columns.forEach(function (column) {
      var option = el("option", { value: column.id }, column.name);
      if (column.id === card.column) { option.selected = true; }
      select.appendChild(option);
    });
    form.appendChild(select);
    form.appendChild(el("label", { "for": "place-" + card.id }, gettext("位置")));
    var place = el("select", { id: "place-" + card.id, name: "place" });
    [["bottom", gettext("いちばん下")], ["top", gettext("いちばん上")],
     ["up", gettext("ひとつ上")], ["down", gettext("ひとつ下")]].forEach(function (pair) {
      place.appendChild(el("option", { value: pair[0] }, pair[1]));
    });
    form.appendChild(place);
    form.appendChild(el("button", { type: "submit" }, gettext("移動する")));
    details.appendChild(form);
    return details;
  }

  function cardNode(card) {
    var li = el("li", { "class": "card" + (card.redacted ? " card-redacted" : ""), "data-card": card.id, "data-testid": "card" });
    if (card.redacted) {
      li.appendChild(el("p", { "class": "card-title" }, gettext("非公開のカード")));
      li.appendChild(el("p", { "class": "help" }, gettext("コーディネーターと担当者だけが内容を見られます。")));
      return li;
    }
    if (canWrite) {
      li.appendChild(el("span", { "class": "drag-handle", "aria-hidden": "true", title: gettext("ドラッグして移動") }, "⠿"));
    }
    li.appendChild(el("a", { "class": "card-title", href: cardUrl.replace(/0\/$/, card.id + "/") }, card.title));
    if (card.confidential) { li.appendChild(el("span", { "class": "badge-secret" }, gettext("非公開"))); }
    var meta = el("p", { "class": "card-meta" });
    card.labels.forEach(function (name) { meta.appendChild(el("span", { "class": "label" }, name)); });
    if (card.due) {
      var due = el("span", { "class": "due" }, gettext("期日") + " ");
      due.appendChild(el("time", { datetime: card.due }, formatDate(card.due)));
      meta.appendChild(due);
    }
    card.assignees.forEach(function (a) { meta.appendChild(el("span", { "class": "assignee" }, a.name)); });
    if (card.helpers.needed) {
      meta.appendChild(el("span", { "class": "helpers" },
        interpolate(gettext("手伝い 残り%(open)s/%(needed)s人"), card.helpers, true)));
    }
    if (card.checklist.length) {
      var done = card.checklist.filter(function (i) { return i.done; }).length;
      meta.appendChild(el("span", { "class": "checks" }, "☑ " + done + "/" + card.checklist.length));
    }
    if (card.resources && card.resources.length) {
      meta.appendChild(el("span", { "class": "resources" },
        interpolate(gettext("社会資源 %(count)s件"), { count: card.resources.length }, true)));
    }
    li.appendChild(meta);
    if (canWrite) { li.appendChild(moveControl(card)); }
    return li;
  }

  function renderColumn(columnId) {
    var section = root.querySelector('section.column[data-column="' + columnId + '"]');
    if (!section) { return; }
    var list = section.querySelector("ol.cards");
    var column = state.columns.get(columnId);
    var cards = sorted(columnId);
    var filters = currentFilters();
    var fragment = document.createDocumentFragment();
    cards.forEach(function (card) { if (matches(card, filters)) { fragment.appendChild(cardNode(card)); } });
    list.replaceChildren(fragment);
    var count = section.querySelector(".column-count");
    count.textContent = cards.length + (column.wip_limit ? " / " + column.wip_limit : "");
    var switcherCount = document.querySelector('.column-switcher a[href="#column-' + columnId + '"] .column-switcher-count');
    if (switcherCount) { switcherCount.textContent = cards.length; }
    section.classList.toggle("over-limit", !!column.wip_limit && cards.length > column.wip_limit);
  }

  function renderAll() { state.columns.forEach(function (_c, id) { renderColumn(id); }); }

  // --- applying the server's events ---------------------------------------------------
  function apply(event) {
    var data = event.data || {};
    if (event.kind.indexOf("column.") === 0) {
      // Columns change rarely; the page is rebuilt around the new set.
      setStatus(gettext("列が変わりました。表示を更新します。"), "online");
      window.location.reload();
      return;
    }
    if (!data.card) { return; }
    var before = state.cards.get(data.card.id);
    state.cards.set(data.card.id, data.card);
    var touched = new Set([data.card.column]);
    if (before) { touched.add(before.column); }
    touched.forEach(renderColumn);
    if (focusAfterMove === data.card.id && event.kind === "card.moved") {
      focusAfterMove = null;
      refocus(data.card.id);
    }
    var mine = event.actor && String(event.actor.id) === root.dataset.user;
    if (!mine && event.kind === "card.moved" && !data.card.redacted) {
      var column = state.columns.get(data.card.column);
      announce(interpolate(gettext("%(name)sさんが「%(title)s」を「%(column)s」に移しました"),
        { name: event.actor ? event.actor.name : "", title: data.card.title, column: column ? column.name : "" }, true));
    }
  }

  function onMessage(raw) {
    var frame;
    try { frame = JSON.parse(raw.data); } catch (e) { return; }
    switch (frame.type) {
      case "snapshot":
        load(frame); renderAll(); setStatus(gettext("最新の状態です。"), "online"); break;
      case "synced":
        setStatus(gettext("最新の状態です。"), "online"); break;
      case "event":
        if (frame.seq <= state.seq) { break; }
        if (frame.seq !== state.seq + 1) { send({ type: "resync", since: state.seq }); break; }
        apply(frame); applied(frame.seq); break;
      case "presence":
        presenceEl.textContent = gettext("いま見ている人：") + frame.users.map(function (u) { return u.name; }).join("、");
        break;
      case "pong":
        break;
      case "ack":
        var sent = pending.get(frame.request); pending.delete(frame.request);
        if (frame.wip_exceeded) { announce(gettext("移動先の列がWIP制限を超えました。")); setStatus(gettext("移動先の列がWIP制限を超えました。"), "warning"); }
        if (sent && sent.type === "card.move") { announce(gettext("カードを移動しました。")); }
        break;
      case "error":
        pending.delete(frame.request);
        setStatus(frame.message, "error"); announce(frame.message); renderAll(); break;
      case "role":
        window.location.reload(); break;
      case "closed":
        closedForGood = true;
        setStatus(gettext("このボードは閉じられました。ページを読み込み直してください。"), "closed");
        root.classList.add("closed");
        root.querySelectorAll("form, button, select, input").forEach(function (n) { n.disabled = true; });
        break;
    }
  }

  // --- the socket ----------------------------------------------------------------------
  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      setStatus(gettext("オフラインです。再接続してから送ってください。"), "offline");
      renderAll();
      return false;
    }
    requestId += 1;
    message.request = "r" + requestId;
    pending.set(message.request, message);
    socket.send(JSON.stringify(message));
    return true;
  }

  var reconnectTimer = null;
  var lastHeard = Date.now();

  function connect() {
    window.clearTimeout(reconnectTimer);
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + root.dataset.socket + "?since=" + state.seq);
    socket = current;
    current.onopen = function () { retry = 0; lastHeard = Date.now(); setStatus(gettext("接続しました。"), "online"); };
    current.onmessage = function (raw) { lastHeard = Date.now(); onMessage(raw); };
    current.onclose = function () {
      if (closedForGood || socket !== current) { return; }
      setStatus(gettext("オフラインです。自動で再接続します…"), "offline");
      var delay = Math.min(15000, 500 * Math.pow(2, retry));
      retry += 1;
      reconnectTimer = window.setTimeout(connect, delay);
    };
  }

  function reconnectNow() {
    // A socket can look open long after the network went away: start a fresh one,
    // which resumes from the last seq applied.
    if (closedForGood) { return; }
    var old = socket;
    retry = 0;
    connect();
    if (old) { old.onclose = null; old.close(); }
  }

  // Heartbeat: a socket that has heard nothing for 45 s is replaced.
  window.setInterval(function () {
    if (closedForGood || !socket) { return; }
    if (socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({ type: "ping" })); }
    if (Date.now() - lastHeard > 45000) { reconnectNow(); }
  }, 15000);

  // --- moves: drag and drop, the "move to…" control and the arrow buttons --------------
  function afterFor(columnId, place, cardId) {
    if (place === "top") { return null; }
    var others = sorted(columnId).filter(function (c) { return c.id !== cardId; });
    return others.length ? others[others.length - 1].id : null;
  }

  function step(cardId, direction) {
    var card = state.cards.get(cardId);
    var siblings = sorted(card.column);
    var index = siblings.findIndex(function (c) { return c.id === cardId; });
    var rest = siblings.filter(function (c) { return c.id !== cardId; });
    var after;
    if (direction === "up") {
      if (index === 0) { return false; }
      after = index >= 2 ? rest[index - 2].id : null;
    } else {
      if (index === siblings.length - 1) { return false; }
      after = rest[index].id;
    }
    return send({ type: "card.move", card: cardId, column: card.column, after: after });
  }

  // The card moved with the keyboard or the move control keeps the focus once it is
  // drawn again in its new place (the list is rebuilt around it).
  var focusAfterMove = null;

  function refocus(cardId) {
    var node = root.querySelector('li.card[data-card="' + cardId + '"] details.move > summary');
    if (node) { node.focus(); }
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("move-form")) {
      event.preventDefault();
      var cardId = Number(form.dataset.card || form.closest("li.card").dataset.card);
      var columnId = Number(form.elements.column.value);
      var place = form.elements.place.value;
      var card = state.cards.get(cardId);
      var sent = (place === "up" || place === "down") && card && columnId === card.column
        ? step(cardId, place)
        : send({ type: "card.move", card: cardId, column: columnId, after: afterFor(columnId, place, cardId) });
      if (sent) { focusAfterMove = cardId; } else { refocus(cardId); }
    } else if (form.classList.contains("card-create")) {
      event.preventDefault();
      var title = form.elements.title.value.trim();
      if (!title) { setStatus(gettext("タイトルを入れてください。"), "error"); return; }
      var secret = form.elements.confidential;
      var message = { type: "card.create", column: Number(form.elements.column.value), title: title };
      if (secret && secret.checked) { message.confidential = true; }
      if (send(message)) {
        form.elements.title.value = "";
        if (secret) { secret.checked = false; }
      }
    }
  });


  if (filtersForm) {
    filtersForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams(new FormData(filtersForm));
      window.history.replaceState(null, "", "?" + params.toString());
      renderAll();
    });
    filtersForm.addEventListener("change", function () { filtersForm.requestSubmit(); });
  }

  // A visible cue when columns go past the edge: a line that says so, and a shade on
  // the side where more columns are (the board is also focusable: arrow keys scroll).
  var frame = root.parentElement;
  var scrollHint = document.querySelector("[data-scroll-hint]");
  function scrollCue() {
    var more = root.scrollWidth - root.clientWidth > 2;
    if (scrollHint) { scrollHint.hidden = !more; }
    frame.classList.toggle("more-left", more && root.scrollLeft > 2);
    frame.classList.toggle("more-right", more && root.scrollLeft + root.clientWidth < root.scrollWidth - 2);
  }
  root.addEventListener("scroll", scrollCue, { passive: true });
  window.addEventListener("resize", scrollCue);
  scrollCue();

  if (canWrite && window.Sortable) {
    root.querySelectorAll("ol.cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "cards",
        animation: 120,
        handle: ".drag-handle",
        draggable: "li.card",
        // Pointer events rather than native HTML5 drag: the same path for mouse and
        // touch, and for automated browsers.
        forceFallback: true,
        onEnd: function (evt) {
          var cardId = Number(evt.item.dataset.card);
          var columnId = Number(evt.to.dataset.column);
          var previous = evt.item.previousElementSibling;
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
          send({ type: "card.move", card: cardId, column: columnId, after: previous ? Number(previous.dataset.card) : null });
        }
      });
    });
  }

  window.addEventListener("offline", function () { setStatus(gettext("オフラインです。自動で再接続します…"), "offline"); });
  window.addEventListener("online", reconnectNow);

  load(JSON.parse(document.getElementById("board-snapshot").textContent));
  renderAll();
  connect();
})();
