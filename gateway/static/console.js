// Asks each service's /health through the gateway and shows the answer.
const SERVICES = [
  ['base', '/base_api'],
  ['store', '/store_api'],
  ['vision', '/vision_api'],
  ['video', '/video_api'],
  ['translator', '/translator_api'],
];

async function status(path) {
  try {
    const response = await fetch(`${path}/health`, { headers: { accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (response.status === 502 || response.status === 504) return { state: 'unreachable', deps: '' };
    const deps = Object.entries(body.services ?? {}).map(([name, state]) => `${name}: ${state}`).join(', ');
    return { state: body.status ?? `HTTP ${response.status}`, deps };
  } catch {
    return { state: 'unreachable', deps: '' };
  }
}

async function refresh() {
  const tbody = document.querySelector('#services tbody');
  const rows = await Promise.all(SERVICES.map(async ([name, path]) => ({ name, path, ...(await status(path)) })));
  tbody.replaceChildren(
    ...rows.map(({ name, path, state, deps }) => {
      const tr = document.createElement('tr');
      for (const [text, cls] of [[name], [path], [state, state], [deps]]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }),
  );
}

document.getElementById('refresh').addEventListener('click', refresh);
refresh();
