'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  // The routes sit beside the page, also under an API Gateway stage.
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  const maxFileBytes = 1 << 20; // the server's limit for one text
  let files = []; // resumes loaded from files: {name, text}
  let run = null; // the last ranking: {job, texts, results}
  let sort = { key: 'rank', dir: 1 };
  let current = -1; // index (in the request) of the resume shown in detail

  // readDocument returns the text of a file the user chose. Plain text is
  // read here; other documents (PDF, DOCX, ODT, HTML, Markdown) go to the
  // server as they are, which answers their text (POST /text) and keeps
  // nothing.
  async function readDocument(file) {
    if (/\.txt$/i.test(file.name) || file.type === 'text/plain') {
      if (file.size > maxFileBytes) throw new Error(file.name + ': over 1 MiB');
      return file.text();
    }
    const resp = await fetch(base + 'text', { method: 'POST', body: file });
    const out = await resp.json();
    if (!resp.ok) throw new Error(file.name + ': ' + out.error);
    return out.text;
  }

  function setStatus(msg, isError) {
    const s = $('status');
    s.textContent = msg;
    s.className = isError ? 'error' : '';
  }

  $('job-file').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    try { $('job').value = await readDocument(f); setStatus(''); } catch (err) { setStatus(err.message, true); }
  });

  $('resume-files').addEventListener('change', async (e) => {
    const errors = [];
    for (const f of e.target.files) {
      try { files.push({ name: f.name, text: await readDocument(f) }); } catch (err) { errors.push(err.message); }
    }
    e.target.value = '';
    renderFiles();
    setStatus(errors.join('; '), errors.length > 0);
  });

  function renderFiles() {
    const ul = $('file-list');
    ul.replaceChildren();
    files.forEach((f, i) => {
      const li = document.createElement('li');
      li.append(f.name + ' ');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = 'remove';
      b.setAttribute('aria-label', 'Remove ' + f.name);
      b.addEventListener('click', () => { files.splice(i, 1); renderFiles(); });
      li.append(b);
      ul.append(li);
    });
  }

  // resumes returns the pasted resumes and the loaded files, named.
  function resumes() {
    const pasted = $('resumes').value.split(/^[ \t]*---[ \t]*$/m).map((t) => t.trim()).filter((t) => t !== '');
    return pasted.map((text, i) => ({ name: pasted.length === 1 ? 'Pasted resume' : 'Pasted resume ' + (i + 1), text }))
      .concat(files);
  }

  $('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const job = $('job').value;
    const rs = resumes();
    if (job.trim() === '') { setStatus('Paste or load a job description first.', true); $('job').focus(); return; }
    if (rs.length === 0) { setStatus('Paste or load at least one resume.', true); $('resumes').focus(); return; }
    const body = { job, resumes: rs };
    const th = parseFloat($('threshold').value);
    if (!Number.isNaN(th)) body.threshold = th;
    $('submit').disabled = true;
    setStatus('Matching ' + rs.length + (rs.length === 1 ? ' resume…' : ' resumes…'));
    const start = performance.now();
    try {
      const resp = await fetch(base + 'rank', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const data = await resp.json().catch(() => ({ error: 'the server answered ' + resp.status }));
      if (!resp.ok) throw new Error(data.error || 'the server answered ' + resp.status);
      data.results.forEach((r, i) => { r.rank = i + 1; });
      run = { job, texts: rs.map((r) => r.text), results: data.results, keywords: data.job.keywords, jobSpans: data.job.spans };
      sort = { key: 'rank', dir: 1 };
      setStatus('Done in ' + ((performance.now() - start) / 1000).toFixed(1) + ' s.');
      renderRanking();
      const first = data.results[0];
      if (first) showDetail(first.index, data.results.length > 1);
    } catch (err) {
      setStatus(err.message, true);
    } finally {
      $('submit').disabled = false;
    }
  });

  const pct = (x) => Math.round(100 * x) + '%';
  // points: a keyword's share of the score, in percentage points (what
  // examples/match prints).
  const points = (x) => (100 * x).toFixed(1);

  function visible() {
    const cut = parseFloat($('cutoff').value) / 100 || 0;
    const rows = run.results.filter((r) => !r.error ? r.score >= cut - 1e-9 : cut <= 0);
    const val = (r) => sort.key === 'name' ? r.name.toLowerCase() : sort.key === 'matched' ? r.matched.length : sort.key === 'score' ? r.score : r.rank;
    return rows.slice().sort((a, b) => {
      const x = val(a), y = val(b);
      return (x < y ? -1 : x > y ? 1 : a.rank - b.rank) * sort.dir;
    });
  }

  function renderRanking() {
    $('results').hidden = false;
    const rows = visible();
    const tbody = $('ranking').tBodies[0];
    tbody.replaceChildren();
    for (const r of rows) {
      const tr = tbody.insertRow();
      tr.dataset.index = r.index;
      if (r.index === current) tr.className = 'current';
      tr.insertCell().textContent = r.rank;
      const name = tr.insertCell();
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = r.name || 'Resume ' + (r.index + 1);
      b.addEventListener('click', () => showDetail(r.index, true));
      name.append(b);
      const score = tr.insertCell();
      score.className = 'num';
      score.textContent = r.error ? '–' : pct(r.score);
      const m = tr.insertCell();
      m.className = 'num';
      m.textContent = r.error ? '' : r.matched.length + '/' + (r.matched.length + r.missing.length);
      const miss = tr.insertCell();
      if (r.error) { miss.textContent = r.error; miss.className = 'error'; } else miss.textContent = r.missing.slice(0, 3).map((k) => k.keyword).join(', ');
    }
    $('shown').textContent = rows.length + ' of ' + run.results.length + ' shown';
    for (const th of $('ranking').tHead.rows[0].cells) {
      const k = th.firstElementChild && th.firstElementChild.dataset.key;
      if (k) th.setAttribute('aria-sort', k === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
  }

  for (const b of document.querySelectorAll('#ranking th button')) {
    b.addEventListener('click', () => {
      const k = b.dataset.key;
      // Scores and matches read best first; ranks and names from the top.
      sort = sort.key === k ? { key: k, dir: -sort.dir } : { key: k, dir: k === 'score' || k === 'matched' ? -1 : 1 };
      renderRanking();
    });
  }
  $('cutoff').addEventListener('input', () => { if (run) renderRanking(); });

  // highlight fills el with text, its spans (byte offsets into the UTF-8
  // text, sorted, not overlapping) marked with the class and title that
  // mark(span) gives.
  function highlight(el, text, spans, mark) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    el.replaceChildren();
    let at = 0;
    for (const s of spans) {
      if (s.start < at || s.end > bytes.length) continue;
      el.append(dec.decode(bytes.subarray(at, s.start)));
      const m = document.createElement('mark');
      const [cls, title] = mark(s);
      m.className = cls;
      m.title = title;
      m.textContent = dec.decode(bytes.subarray(s.start, s.end));
      el.append(m);
      at = s.end;
    }
    el.append(dec.decode(bytes.subarray(at)));
  }

  function showDetail(index, focus) {
    const r = run.results.find((x) => x.index === index);
    current = index;
    renderRanking();
    $('detail').hidden = false;
    $('detail-h').textContent = r.name || 'Resume ' + (index + 1);
    $('detail-score').textContent = r.error ? r.error : 'Score ' + pct(r.score) + ': ' + r.matched.length + ' of ' + (r.matched.length + r.missing.length) + ' job keywords matched';
    $('detail-warnings').textContent = r.warnings.join(' ');
    $('detail-why').textContent = r.explanation || '';
    const tbody = $('matched').tBodies[0];
    tbody.replaceChildren();
    for (const k of r.matched) {
      const tr = tbody.insertRow();
      tr.insertCell().textContent = k.keyword;
      tr.insertCell().textContent = k.resume_keyword;
      const c = tr.insertCell();
      c.className = 'num';
      c.textContent = k.similarity.toFixed(2);
      const p = tr.insertCell();
      p.className = 'num';
      p.textContent = '+' + points(k.contribution);
    }
    const ul = $('missing');
    ul.replaceChildren();
    for (const k of r.missing) {
      const li = document.createElement('li');
      li.textContent = k.keyword + (k.resume_keyword ? ' (closest: ' + k.resume_keyword + ', ' + k.similarity.toFixed(2) + ')' : '') +
        ': −' + points(k.importance);
      ul.append(li);
    }
    const matched = new Set(r.matched.map((k) => k.keyword));
    highlight($('job-text'), run.job, run.jobSpans, (s) => {
      const kw = run.keywords[s.phrase];
      return matched.has(kw) ? ['hit', 'matched: ' + kw] : ['miss', 'missing: ' + kw];
    });
    highlight($('resume-text'), run.texts[index], r.spans, (s) => {
      const k = r.matched[s.phrase];
      return ['hit', 'matches job keyword “' + k.keyword + '” (similarity ' + k.similarity.toFixed(2) + ')'];
    });
    if (focus) $('detail-h').focus();
  }

  function download(name, type, text) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // exported rows: what the table shows, in its order.
  const exported = () => visible().map((r) => ({
    rank: r.rank, name: r.name, score: r.score, error: r.error || undefined,
    matched: r.matched.map((k) => ({ keyword: k.keyword, resume_keyword: k.resume_keyword, similarity: k.similarity })),
    missing: r.missing.map((k) => k.keyword),
  }));

  $('export-json').addEventListener('click', () => {
    if (run) download('jobmatch-ranking.json', 'application/json', JSON.stringify(exported(), null, 2) + '\n');
  });

  $('export-csv').addEventListener('click', () => {
    if (!run) return;
    // Quoted, and a leading = + - @ made harmless for spreadsheets.
    const cell = (v) => {
      let s = String(v === undefined ? '' : v);
      if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return '"' + s.replace(/"/g, '""') + '"';
    };
    const lines = [['rank', 'name', 'score', 'matched', 'job_keywords', 'missing', 'error'].join(',')];
    for (const r of exported()) {
      lines.push([r.rank, r.name, r.score.toFixed(4), r.matched.length, r.matched.length + r.missing.length,
        r.missing.join('; '), r.error].map(cell).join(','));
    }
    download('jobmatch-ranking.csv', 'text/csv', lines.join('\r\n') + '\r\n');
  });
})();
