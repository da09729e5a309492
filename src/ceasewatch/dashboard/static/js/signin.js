// Sign in: check the token against /api/v1/me, keep it in sessionStorage, go back.
import { api, ApiError, BASE, header, setToken } from "./common.js";

const form = document.getElementById("signin");
const error = document.getElementById("signin-error");

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  error.textContent = "";
  const value = form.elements.token.value.trim();
  setToken(value);
  try {
    await api("/me");
  } catch (e) {
    setToken(null);
    error.textContent = e instanceof ApiError ? e.describe() : String(e);
    return;
  }
  const next = new URLSearchParams(window.location.search).get("next");
  // only a path on this server: never a redirect elsewhere
  window.location.assign(next && next.startsWith("/") && !next.startsWith("//") ? next : `${BASE}/`);
});

header().finally(() => {
  document.body.dataset.ready = "1";
});
