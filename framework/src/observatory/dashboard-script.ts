/**
 * The dashboard's script, plain browser JavaScript: the JSON API every 2 s, the trace over
 * Server-Sent Events, and the replay action. Kept free of template-literal syntax, since it lives
 * inside one.
 */
export const DASHBOARD_SCRIPT = `
(function () {
  'use strict';
  var REFRESH_MS = 2000;
  var TRACES_SHOWN = 60;
  var traces = [];
  var $ = function (id) { return document.getElementById(id); };

  function esc(value) {
    return String(value == null ? '' : value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function num(value) { return value == null ? '–' : Number(value).toLocaleString('en-US'); }
  function ms(value) { return value == null ? '–' : (value < 10 ? value.toFixed(2) : value.toFixed(0)) + ' ms'; }
  function bytes(value) {
    if (value == null) return '–';
    var units = ['B', 'KiB', 'MiB', 'GiB']; var n = value; var u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; u += 1; }
    return n.toFixed(u ? 1 : 0) + ' ' + units[u];
  }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString('en-GB') : ''; }
  function get(path) {
    return fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
        return response.json();
      });
  }
  function rows(tbody, items, render, empty, columns) {
    tbody.innerHTML = items.length ? items.map(render).join('')
      : '<tr><td class="empty" colspan="' + columns + '">' + esc(empty) + '</td></tr>';
  }
  function toast(text) {
    var el = $('toast'); el.textContent = text; el.classList.add('show');
    clearTimeout(toast.timer); toast.timer = setTimeout(function () { el.classList.remove('show'); }, 4000);
  }
  function kpi(id, value, sub, tone) {
    var el = $(id); el.querySelector('.value').textContent = value;
    el.querySelector('.sub').textContent = sub || '';
    el.classList.remove('ok', 'bad'); if (tone) el.classList.add(tone);
  }

  function renderStats(stats) {
    var completed = 0, failed = 0;
    stats.handlers.forEach(function (h) { completed += h.completed; failed += h.failed; });
    kpi('kpi-throughput', stats.throughput.last10sPerSec.toFixed(1) + '/s',
      stats.throughput.lastMinutePerSec.toFixed(2) + '/s over the last minute');
    kpi('kpi-processed', num(completed), 'handler runs since ' + time(stats.since));
    kpi('kpi-failed', num(failed), 'failed attempts', failed ? 'bad' : '');
    spark(stats.throughput.perSecond, stats.throughput.failedPerSecond);
    var handlers = stats.handlers.slice().sort(function (a, b) { return b.completed - a.completed; });
    rows($('handlers').tBodies[0], handlers, function (h) {
      return '<tr><td class="name">' + esc(h.handler) + '</td><td class="muted">' + esc(h.domain) +
        '</td><td class="num">' + num(h.completed) + '</td><td class="num' + (h.failed ? ' error' : '') + '">' +
        num(h.failed) + '</td><td class="num">' + (h.ratePerSec * 60).toFixed(1) + '</td><td class="num">' +
        ms(h.p50Ms) + '</td><td class="num">' + ms(h.p95Ms) + '</td></tr>';
    }, 'No handler has run since the observatory started.', 7);
  }

  function spark(perSecond, failedPerSecond) {
    var max = Math.max.apply(null, perSecond.concat(failedPerSecond, [1]));
    var w = 600, h = 90, step = w / (perSecond.length - 1);
    function line(values) {
      return values.map(function (v, i) { return (i * step).toFixed(1) + ',' + (h - 4 - (v / max) * (h - 12)).toFixed(1); }).join(' ');
    }
    $('spark').innerHTML = '<polyline fill="none" stroke="#3056d3" stroke-width="2" points="' + line(perSecond) + '"/>' +
      '<polyline fill="none" stroke="#c62828" stroke-width="1.5" points="' + line(failedPerSecond) + '"/>' +
      '<text x="4" y="12" font-size="11" fill="#667085">' + max + '/s</text>';
  }

  function check(name, result, extra) {
    var state = result.ok ? '<span class="pill ok">up</span>' : '<span class="pill down">down</span>';
    return '<tr><td>' + name + '</td><td>' + state + '</td><td class="num">' + num(result.ms) + ' ms</td><td>' +
      esc(result.ok ? (extra || '') : result.error) + '</td></tr>';
  }
  function renderHealth(health) {
    var down = health.domains.filter(function (d) { return !d.ok; }).length;
    var body = health.domains.map(function (d) {
      var info = d.broker.info;
      var extra = d.broker.provider + (info ? ' ' + info.version + ', ' + bytes(info.memoryBytes) + ', ' + info.opsPerSec + ' ops/s' : '');
      return '<tr><th colspan="4">' + esc(d.domain) + '</th></tr>' + check('broker', d.broker, extra) +
        check('database', d.database) + check('event store', d.eventStore);
    }).join('');
    $('health').tBodies[0].innerHTML = body;
    var first = health.domains[0] && health.domains[0].broker;
    var info = first && first.info;
    kpi('kpi-broker', down ? 'down' : 'up', info ? 'Redis ' + info.version + ' · ' + bytes(info.memoryBytes) + ' · ' + info.opsPerSec + ' ops/s' : (first ? first.provider : ''), down ? 'bad' : 'ok');
    $('version').textContent = 'protean-ts ' + health.version;
  }

  function renderSubscriptions(data) {
    var dlq = 0;
    data.subscriptions.forEach(function (s) { dlq += s.dlqDepth || 0; });
    kpi('kpi-dlq', num(dlq), 'dead letters waiting', dlq ? 'bad' : '');
    rows($('subscriptions').tBodies[0], data.subscriptions, function (s) {
      return '<tr><td class="name">' + esc(s.name) + '</td><td class="muted">' + esc(s.domain) + '</td><td>' + esc(s.type) +
        '</td><td class="num">' + num(s.lag) + (s.lagCapped ? '+' : '') + '</td><td class="num">' + num(s.pending) +
        '</td><td class="num">' + num(s.dlqDepth) + '</td><td><span class="pill ' + s.status + '">' + s.status + '</span></td></tr>';
    }, 'No subscriptions.', 7);
    renderDeadLetters(data.subscriptions.filter(function (s) { return s.dlqDepth > 0; }));
  }

  function renderStreams(data) {
    rows($('streams').tBodies[0], data.streams, function (s) {
      var groups = s.groups.map(function (g) { return esc(g.name) + ' <span class="muted">(lag ' + num(g.lag) + ', pending ' + num(g.pending) + ', ' + g.consumers + (g.consumers === 1 ? ' consumer' : ' consumers') + ')</span>'; }).join('<br>');
      return '<tr><td class="name">' + esc(s.stream) + '</td><td class="num">' + num(s.length) + '</td><td class="num">' +
        num(s.pending) + '</td><td class="num">' + num(s.dlqDepth) + '</td><td>' + (groups || '<span class="muted">no group</span>') + '</td></tr>';
    }, 'No broker streams (event-store subscriptions only, or a broker without streams).', 5);
  }

  function renderOutbox(data) {
    var pending = 0;
    rows($('outbox').tBodies[0], data.domains, function (d) {
      var c = d.counts || {};
      pending += c.pending || 0;
      return '<tr><td>' + esc(d.domain) + (d.enabled ? '' : ' <span class="muted">(off)</span>') + '</td>' +
        ['pending', 'processing', 'published', 'failed', 'abandoned'].map(function (k) {
          return '<td class="num' + ((k === 'abandoned' || k === 'failed') && c[k] ? ' error' : '') + '">' + num(c[k]) + '</td>';
        }).join('') + '</tr>';
    }, 'No outbox.', 6);
    kpi('kpi-outbox', num(pending), 'outbox rows waiting');
  }

  function renderDeadLetters(failing) {
    var box = $('dead-letters');
    if (!failing.length) { box.innerHTML = '<div class="empty">No dead letters.</div>'; return; }
    Promise.all(failing.map(function (s) {
      return get('/api/dlq?limit=5&domain=' + encodeURIComponent(s.domain) + '&subscription=' + encodeURIComponent(s.name))
        .then(function (preview) { return { s: s, entries: preview.entries }; });
    })).then(function (groups) {
      box.innerHTML = groups.map(function (g) {
        var more = g.s.dlqDepth > g.entries.length ? '<div class="muted">and ' + (g.s.dlqDepth - g.entries.length) + ' more</div>' : '';
        return '<div class="dlq-group" data-subscription="' + esc(g.s.name) + '"><div class="dlq-head"><strong>' + esc(g.s.name) +
          '</strong><span class="muted">' + esc(g.s.domain) + '</span><span class="pill failing">' + g.s.dlqDepth + ' dead letter' + (g.s.dlqDepth === 1 ? '' : 's') +
          '</span></div><table><tbody>' + g.entries.map(function (e) {
            return '<tr><td class="name">' + esc(e.type) + '<br><span class="muted">' + esc(e.id) + '</span></td><td class="num">' + num(e.attempts) +
              ' attempts</td><td class="error">' + esc(e.error) + '</td><td class="muted">' + time(e.failedAt) +
              '</td><td><button class="replay" data-domain="' + esc(g.s.domain) + '" data-id="' + esc(e.id) + '">Replay</button></td></tr>';
          }).join('') + '</tbody></table>' + more + '</div>';
      }).join('');
    }).catch(function (error) { box.innerHTML = '<div class="error">' + esc(error.message) + '</div>'; });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.replay');
    if (!button) return;
    var id = button.getAttribute('data-id');
    if (!window.confirm('Replay dead letter ' + id + '?\\n\\nIt is published to its stream again for the subscription that gave up on it, and removed from the dead-letter queue.')) return;
    button.disabled = true;
    fetch('/api/dlq/replay', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ domain: button.getAttribute('data-domain'), id: id })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
        toast('Replayed ' + id + ' to ' + body.stream + ' (new entry ' + body.entryId + ')');
        refresh();
      });
    }).catch(function (error) { button.disabled = false; toast('Replay failed: ' + error.message); });
  });

  function addTrace(event) {
    traces.unshift(event);
    if (traces.length > TRACES_SHOWN) traces.length = TRACES_SHOWN;
    renderTraces();
  }
  function renderTraces() {
    rows($('traces').querySelector('tbody'), traces, function (t) {
      var kind = 'ev-' + t.event.split('.')[1];
      return '<tr><td class="muted">' + time(t.at) + '</td><td class="muted">' + esc(t.domain) + '</td><td class="' + kind + '">' + esc(t.event) +
        '</td><td>' + esc(t.handler || t.loop || '') + '</td><td>' + esc(t.messageType || '') + '</td><td class="num">' +
        (t.durationMs == null ? '' : ms(t.durationMs)) + '</td><td class="err">' + esc(t.error || '') + '</td></tr>';
    }, 'Waiting for trace events…', 7);
  }

  function connect() {
    var source = new EventSource('/stream');
    source.onopen = function () { $('live').className = 'dot on'; $('live-text').textContent = 'live'; };
    source.onerror = function () { $('live').className = 'dot off'; $('live-text').textContent = 'reconnecting'; };
    source.onmessage = function (message) { addTrace(JSON.parse(message.data)); };
  }

  var refreshing = false;
  function refresh() {
    if (refreshing) return; refreshing = true;
    Promise.all([get('/api/health'), get('/api/stats'), get('/api/subscriptions'), get('/api/streams'), get('/api/outbox')])
      .then(function (all) {
        renderHealth(all[0]); renderStats(all[1]); renderSubscriptions(all[2]); renderStreams(all[3]); renderOutbox(all[4]);
        if (!traces.length && all[1].recent.length) { traces = all[1].recent.slice().reverse(); renderTraces(); }
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
      })
      .catch(function (error) { $('updated').textContent = 'refresh failed: ' + error.message; })
      .then(function () { refreshing = false; });
  }

  renderTraces();
  connect();
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
`;
