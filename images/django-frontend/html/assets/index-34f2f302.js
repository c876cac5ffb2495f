/* thebot frontend bundle: a small single-page app (hand-written, built output shape: one hashed JS, one hashed CSS). */
(function () {
  "use strict";
  var root = document.getElementById("root");
  var state = { readiness: null, version: null, events: [], jobs: [], socket: "connecting" };

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "onclick" || key === "onsubmit") el[key] = attrs[key];
      else el.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function api(path, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    if (options.method && options.method !== "GET") options.headers["X-CSRFToken"] = cookie("csrftoken");
    return fetch(path, options).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function navigate(path) {
    history.pushState({}, "", path);
    render();
  }

  function link(path, label) {
    return h("a", { href: path, class: location.pathname === path ? "active" : "", onclick: function (e) { e.preventDefault(); navigate(path); } }, [label]);
  }

  function statusView() {
    var r = state.readiness;
    var deps = r && r.body.dependencies ? r.body.dependencies : {};
    return h("div", {}, [
      h("div", { class: "panel" }, [
        h("h2", {}, ["Platform status"]),
        h("p", {}, ["API ", h("span", { class: "badge " + (r && r.status === 200 ? "ok" : "bad") }, [r ? r.body.status : "…"]),
          "  version ", h("span", { class: "badge" }, [state.version || "…"])]),
        h("table", {}, Object.keys(deps).map(function (name) {
          return h("tr", {}, [h("td", {}, [name]), h("td", {}, [h("span", { class: "badge " + (deps[name] === "ok" ? "ok" : "bad") }, [deps[name]])])]);
        })),
        h("p", { class: "muted" }, ["Live updates: ", state.socket])
      ]),
      h("div", { class: "panel" }, [h("h2", {}, ["Events"]), h("ul", { id: "events" }, state.events.slice(-20).map(function (e) { return h("li", {}, [e]); }))])
    ]);
  }

  function jobsView() {
    var form = h("form", { onsubmit: function (e) {
      e.preventDefault();
      api("/api/jobs/", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kind: form.kind.value, payload: form.payload.value }) })
        .then(function (res) {
          state.events.push(res.status === 201 ? "queued job " + res.body.id : "could not queue (" + res.status + "): sign in at /admin/");
          render();
        });
    } }, [
      h("select", { name: "kind" }, ["reverse", "wordcount", "sleep"].map(function (k) { return h("option", { value: k }, [k]); })),
      " ", h("input", { name: "payload", placeholder: "payload" }), " ", h("button", { type: "submit" }, ["Queue job"])
    ]);
    return h("div", { class: "panel" }, [h("h2", {}, ["Jobs"]), form,
      h("p", { class: "muted" }, ["Results arrive over the websocket as soon as a Celery worker finishes them."])]);
  }

  function render() {
    root.innerHTML = "";
    root.appendChild(h("header", {}, [h("h1", {}, ["THE_BOT platform"]), h("nav", {}, [link("/", "Status"), link("/jobs", "Jobs"), h("a", { href: "/admin/" }, ["Admin"])])]));
    root.appendChild(h("main", {}, [location.pathname === "/jobs" ? jobsView() : statusView()]));
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/jobs/");
    socket.onopen = function () { state.socket = "connected"; render(); };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      state.events.push(data.type + (data.job ? " " + data.job.id + " " + data.job.status + " → " + data.job.result : ""));
      render();
    };
    socket.onclose = function () { state.socket = "reconnecting"; render(); setTimeout(connect, 3000); };
  }

  window.addEventListener("popstate", render);
  api("/api/system/readiness/").then(function (res) { state.readiness = res; render(); }, function () { render(); });
  api("/api/system/version/").then(function (res) { state.version = res.body.version; render(); }, function () {});
  render();
  connect();
})();
