// Talks to the JSON API: GET /session for the state and a CSRF token, then POST /login or
// POST /logout with that token in the x-csrf-token header.
const status = document.getElementById('status');
const loginForm = document.getElementById('login-form');
const logoutButton = document.getElementById('logout');
let csrfToken = null;

function show(state, message) {
  csrfToken = state.csrfToken ?? csrfToken;
  status.textContent = message ?? (state.authenticated ? `Logged in as ${state.user.name}` : 'Not logged in');
  loginForm.hidden = state.authenticated;
  logoutButton.hidden = !state.authenticated;
}

async function refresh(message) {
  const response = await fetch('/session', { credentials: 'same-origin' });
  show(await response.json(), message);
}

async function post(path, body) {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken ?? '' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const response = await post('/login', {
    username: document.getElementById('username').value,
    password: document.getElementById('password').value,
  });
  document.getElementById('password').value = '';
  if (response.ok) return show(await response.json());
  const { error } = await response.json().catch(() => ({ error: response.statusText }));
  await refresh(`Login failed: ${error}`);
});

logoutButton.addEventListener('click', async () => {
  await post('/logout');
  await refresh();
});

refresh().catch(() => {
  status.textContent = 'Could not reach the server';
});
