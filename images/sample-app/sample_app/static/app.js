"use strict";

const show = (id, value) => {
  document.getElementById(id).textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2);
};

fetch("/api/health")
  .then((response) => response.json())
  .then((body) => show("health", body))
  .catch((error) => show("health", String(error)));

document.getElementById("job-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const payload = document.getElementById("payload").value;
  const response = await fetch("/api/jobs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ payload }),
  });
  const { id } = await response.json();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const job = await (await fetch(`/api/jobs/${id}`)).json();
    show("job", job);
    if (job.status !== "queued") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

const scheme = window.location.protocol === "https:" ? "wss" : "ws";
const socket = new WebSocket(`${scheme}://${window.location.host}/ws/`);
socket.addEventListener("message", (event) => show("echo", `echo: ${event.data}`));
socket.addEventListener("close", () => show("echo", "(connection closed)"));
document.getElementById("ws-form").addEventListener("submit", (event) => {
  event.preventDefault();
  socket.send(document.getElementById("message").value);
});
