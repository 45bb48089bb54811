// The page's calls: the metrics service's own (curves) and the trainer's control API, which the
// metrics service passes through on this origin (TrainerProxy). Calls that change a run carry the
// operator token the user pasted, as `Authorization: Bearer …`; reads need none.

const TOKEN_KEY = 'backstream.apiToken';

/** The pasted API token: this tab only (sessionStorage), or this browser if asked to remember it (localStorage). */
export const token = {
  get() {
    return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY) ?? '';
  },
  set(value, remember) {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
    if (value) (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, value);
  },
  remembered() {
    return localStorage.getItem(TOKEN_KEY) !== null;
  },
};

/** A call the server refused or could not answer: the HTTP status and the server's own messages. */
export class ApiError extends Error {
  constructor(status, messages) {
    super(messages.join('; '));
    this.status = status;
  }
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && token.get()) headers.Authorization = `Bearer ${token.get()}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text itself is the message
  }
  if (!response.ok) {
    const messages = json?.errors ?? (json?.error ? [json.error] : [text || response.statusText || `HTTP ${response.status}`]);
    throw new ApiError(response.status, messages);
  }
  return json;
}

const run = (id) => `/api/runs/${encodeURIComponent(id)}`;

export const api = {
  /** Every run the metrics service knows, step curves thinned to maxPoints (GET /api/curves). */
  curves: (maxPoints) => request('GET', `/api/curves?maxPoints=${maxPoints}`),
  /** One run's step curve between two steps, thinned to maxPoints: a zoomed-in view. */
  lossBetween: (id, from, to, maxPoints) =>
    request('GET', `${run(id)}/loss?maxPoints=${maxPoints}&from=${Math.floor(from)}&to=${Math.ceil(to)}`),
  /** The trainer's runs: state, spec, progress. */
  runs: () => request('GET', '/api/runs'),
  startRun: (spec) => request('POST', '/api/runs', spec),
  /** action: 'pause' | 'resume' | 'stop' */
  control: (id, action) => request('POST', `${run(id)}/${action}`),
};
