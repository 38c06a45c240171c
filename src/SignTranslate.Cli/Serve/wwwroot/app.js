// The page of `slt serve`: plain JavaScript, no build step, nothing loaded from elsewhere (it works offline).
'use strict';

const $ = id => document.getElementById(id);
let busy = false;

function setBusy(on, text) {
  busy = on;
  $('upload').disabled = on;
  $('translate-clip').disabled = on || $('test-clips').options.length === 0;
  $('status').textContent = text || '';
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

// XMLHttpRequest rather than fetch: it reports upload progress, which a long clip needs.
function post(url, body) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const started = Date.now();
    let waitTimer = null;
    let uploaded = body === null;
    let finished = false;
    xhr.upload.onload = () => { uploaded = true; };
    xhr.upload.onprogress = e => {
      if (e.lengthComputable) $('status').textContent = `Uploading… ${Math.round(100 * e.loaded / e.total)} %`;
    };
    // The server answers once the clip is decoded and translated; meanwhile the page asks what the request is doing.
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    xhr.open('POST', `${url}?progress=${id}`);
    waitTimer = setInterval(async () => {
      if (!uploaded) return;
      let stage = 'processing';
      try { stage = (await (await fetch(`api/progress/${id}`)).json()).stage || stage; } catch { }
      if (finished) return;   // an answer that came back after the result would overwrite the cleared status
      $('status').textContent = `${stage[0].toUpperCase()}${stage.slice(1)}… ${((Date.now() - started) / 1000).toFixed(0)} s`;
    }, 300);
    xhr.responseType = 'json';
    xhr.onloadend = () => { finished = true; clearInterval(waitTimer); };
    xhr.onload = () => {
      const data = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data);
      else reject(new Error((data && data.error) || `the server answered ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('the server did not answer (is slt serve still running?)'));
    xhr.send(body);
  });
}

async function run(url, body, label) {
  if (busy) return;
  showError('');
  setBusy(true, `${label}…`);
  try {
    render(await post(url, body));
    setBusy(false, '');
  } catch (e) {
    setBusy(false, '');
    // The previous clip's result would read as this upload's: only the error stays.
    $('result').hidden = true;
    showError(e.message);
  }
}

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs)) if (k !== 'svg') node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(r) {
  $('result').hidden = false;
  $('clip-name').textContent = `(${r.clip})`;
  $('translation').textContent = r.text || '(empty translation)';
  $('timings').textContent = `${r.frames} frames, ${r.encoder_steps} encoder steps; decoded in ${r.decode_seconds.toFixed(2)} s, translated in ${r.translate_seconds.toFixed(2)} s; end of sentence p = ${r.end_probability.toFixed(2)}`;

  const tokens = $('tokens');
  tokens.replaceChildren();
  for (const t of r.tokens) {
    const chip = el('span', { class: 'token', title: `id ${t.id}, p = ${t.probability.toFixed(3)}` }, t.text || '·');
    chip.style.background = `hsl(${Math.round(120 * t.probability)}, 70%, 85%)`;
    chip.appendChild(el('small', {}, `${(100 * t.probability).toFixed(0)} %`));
    tokens.appendChild(chip);
  }

  // Columns are the thumbnails; each column holds the frames from its thumbnail to the next one.
  const thumbs = r.thumbnails;
  const bounds = thumbs.map((t, k) => [t.frame, k + 1 < thumbs.length ? thumbs[k + 1].frame : r.frames]);
  const table = $('timeline');
  table.replaceChildren();
  const head = el('thead');
  const row = el('tr');
  row.appendChild(el('th', { class: 'word' }, 'token \\ frame'));
  for (const t of thumbs) {
    const th = el('th');
    th.appendChild(el('img', { src: t.src, alt: `frame ${t.frame}`, title: `frame ${t.frame}` }));
    th.appendChild(el('div', { class: 'frame-no' }, String(t.frame)));
    row.appendChild(th);
  }
  head.appendChild(row);
  table.appendChild(head);
  const body = el('tbody');
  r.tokens.forEach((t, i) => {
    const tr = el('tr', { class: 'token-row', 'data-token': String(i) });
    tr.appendChild(el('td', { class: 'word' }, t.text || '·'));
    const mass = bounds.map(([a, b]) => t.attention.slice(a, b).reduce((s, x) => s + x, 0));
    const top = Math.max(...mass, 1e-9);
    mass.forEach((m, k) => {
      const td = el('td', { class: 'cell', title: `frames ${bounds[k][0]}–${bounds[k][1] - 1}: ${(100 * m).toFixed(1)} % of the attention` });
      td.style.background = `rgba(43, 93, 171, ${(m / top).toFixed(3)})`;
      tr.appendChild(td);
    });
    tr.addEventListener('mouseenter', () => highlight(t.attention));
    tr.addEventListener('mouseleave', () => highlight(null));
    body.appendChild(tr);
  });
  table.appendChild(body);
  drawMap(r.frame_map, r.frames);
}

let points = [];

function drawMap(map, frames) {
  const svg = $('frame-map');
  svg.replaceChildren();
  $('map-caption').textContent = `Frame features (the ones SignCL acts on) on their first two principal axes, as slt density draws them: ` +
    `${(100 * map.explained_variance1).toFixed(0)} % and ${(100 * map.explained_variance2).toFixed(0)} % of the variance; colour runs from the first frame (blue) to the last (red).`;
  const [w, h, pad] = [420, 320, 20];
  const range = v => { const lo = Math.min(...v), hi = Math.max(...v); return [lo, hi - lo || 1]; };
  const [x0, xs] = range(map.x), [y0, ys] = range(map.y);
  const path = map.x.map((x, i) => `${i ? 'L' : 'M'}${(pad + (x - x0) / xs * (w - 2 * pad)).toFixed(1)},${(h - pad - (map.y[i] - y0) / ys * (h - 2 * pad)).toFixed(1)}`).join(' ');
  svg.appendChild(el('path', { svg: true, d: path, fill: 'none', stroke: '#ccd', 'stroke-width': 1 }));
  points = map.x.map((x, i) => {
    const c = el('circle', { svg: true, cx: (pad + (x - x0) / xs * (w - 2 * pad)).toFixed(1), cy: (h - pad - (map.y[i] - y0) / ys * (h - 2 * pad)).toFixed(1), r: 3.5 });
    c.setAttribute('fill', `hsl(${Math.round(240 - 240 * i / Math.max(frames - 1, 1))}, 70%, 50%)`);
    c.appendChild(el('title', { svg: true }, `frame ${i}`));
    svg.appendChild(c);
    return c;
  });
}

function highlight(attention) {
  const top = attention ? Math.max(...attention, 1e-9) : 1;
  points.forEach((c, i) => {
    c.setAttribute('r', attention ? (2 + 7 * attention[i] / top).toFixed(1) : 3.5);
    c.setAttribute('opacity', attention ? (0.25 + 0.75 * attention[i] / top).toFixed(2) : 1);
  });
}

$('upload-form').addEventListener('submit', e => {
  e.preventDefault();
  const file = $('clip-file').files[0];
  if (!file) { showError('choose a video file or a zip of frames first'); return; }
  const form = new FormData();
  form.append('clip', file);
  run('api/translate', form, `Uploading ${file.name}`);
});

$('test-form').addEventListener('submit', e => {
  e.preventDefault();
  const index = $('test-clips').value;
  if (index !== '') run(`api/clips/${index}/translate`, null, 'Translating the test clip');
});

(async () => {
  try {
    const info = await (await fetch('api/info')).json();
    $('checkpoint').textContent = `checkpoint ${info.checkpoint} · uploads up to ${info.max_upload_mb} MiB and ${info.max_seconds} s`;
    const clips = await (await fetch('api/clips')).json();
    const select = $('test-clips');
    for (const c of clips.clips) select.appendChild(el('option', { value: String(c.index) }, c.id));
    if (clips.problem) select.title = clips.problem;
    $('translate-clip').disabled = clips.clips.length === 0;
  } catch (e) {
    showError(`cannot reach the server: ${e.message}`);
  }
})();
