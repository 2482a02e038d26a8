/* finwait's report page: draws the two JSON blobs of this file. No network, no library. */
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var D = JSON.parse($('finwait-summary').textContent);
  var C = JSON.parse($('finwait-connections').textContent);
  var S = D.states;
  var ST = {};
  S.forEach(function (n, i) { ST[n] = i; });
  var byId = new Map();
  C.forEach(function (c) { byId.set(c.i, c); });
  var SVGNS = 'http://www.w3.org/2000/svg';
  var SIDES = ['client', 'server'];
  var COLORS = { est: '#3a8d5c', half: '#d49a1c', cw: '#c2410c', tw: '#6d4bb3', rst: '#d0312d', fin: '#2457a6',
    syn: '#1f7a4d', data: '#39424c', grid: '#e3e7eb' };
  var SERIES = [['established', 'ESTABLISHED', COLORS.est], ['half_closed', 'half-closed', COLORS.half],
    ['close_wait', 'CLOSE_WAIT', COLORS.cw], ['time_wait', 'TIME_WAIT', COLORS.tw]];

  // ---- small helpers ---------------------------------------------------------------------------
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function host(i) { return D.hosts[i]; }
  function ep(pair) { var h = host(pair[0]); return (h.indexOf(':') >= 0 ? '[' + h + ']' : h) + ':' + pair[1]; }
  function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
  /** Capture time (µs from D.base) as UTC clock time with microseconds. */
  function clock(us) {
    var abs = D.base + us;
    var ms = Math.floor(abs / 1000);
    var iso = new Date(ms).toISOString();
    return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + '.' + pad(((abs % 1e6) + 1e6) % 1e6, 6);
  }
  function secs(us) { return (us / 1e6).toFixed(3) + 's'; }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function flagsText(f) {
    var s = '';
    if (f & 2) s += 'S';
    if (f & 1) s += 'F';
    if (f & 4) s += 'R';
    if (f & 8) s += 'P';
    if (f & 32) s += 'U';
    if (f & 64) s += 'E';
    if (f & 128) s += 'W';
    if (f & 16) s += '.';
    return s || 'none';
  }
  function serviceKey(c) { return c.s[0] + ':' + c.s[1]; }
  function closeBadge(k) {
    return /reset|refused/.test(k) ? 'bad' : /half|unacked|never|open/.test(k) ? 'warn' : 'ok';
  }

  // ---- problem kinds: what the connection shows, for the filter and the finding links --------------
  var PROBLEM_KINDS = [
    ['reset', 'any RST', function (c) { return !!c.r; }],
    ['refused', 'refused open', function (c) { return c.h === 'refused'; }],
    ['unanswered', 'unanswered SYN', function (c) { return c.h === 'unanswered'; }],
    ['data_after_close', 'RST: data after close', function (c) { return !!c.r && c.r.some(function (x) { return x[6] === 'data_after_close'; }); }],
    ['close_wait_at_end', 'left in CLOSE_WAIT', function (c) { return c.cs.f === ST.CLOSE_WAIT || c.ss.f === ST.CLOSE_WAIT; }],
    ['time_wait_server', 'TIME_WAIT on the server', function (c) { return !!c.tw && c.tw.some(function (w) { return w[0] === 1; }); }],
    ['half_close', 'half-closed with data after FIN', function (c) { return !!c.hc && c.hc[3] > 0; }],
    ['reuse', '4-tuple reused', function (c) { return !!c.u; }],
    ['anomaly', 'anomaly', function (c) { return !!c.a; }],
    ['any', 'any problem', function (c) { return (c.p || 0) > 0; }]
  ];
  function cause(c, k) { return !!c.r && c.r.some(function (x) { return x[6] === k; }); }
  function closeWaitFor(c, us) {
    return [c.cs.t, c.ss.t].some(function (t) {
      for (var i = 0; i < t.length; i += 4) {
        if (t[i] === ST.CLOSE_WAIT && (i + 4 >= t.length || t[i + 5] - t[i + 1] >= us)) return true;
      }
      return false;
    });
  }
  /** The connections a finding kind is about, from the facts of each connection (the filter). */
  var FINDING_KIND = {
    close_wait_stuck: function (c) { return closeWaitFor(c, (D.close_wait_threshold_us || 5e6)); },
    write_after_peer_close: function (c) { return cause(c, 'data_after_close'); },
    close_with_unread_data: function (c) { return cause(c, 'abort_after_close'); },
    abortive_close: function (c) { return cause(c, 'abort'); },
    refused: function (c) { return c.h === 'refused'; },
    unanswered_syn: function (c) { return c.h === 'unanswered'; },
    time_wait_on_server: function (c) { return !!c.tw && c.tw.some(function (w) { return w[0] === 1; }); },
    reuse_in_time_wait: function (c) { return !!c.u && c.u[1] !== null; },
    ephemeral_port_pressure: function (c) { return !!c.tw && c.tw.some(function (w) { return w[0] === 0; }); }
  };
  var FINDINGS = (D.findings || []).slice().sort(function (a, b) {
    var r = { problem: 0, warning: 1, info: 2 };
    return (r[a.severity] - r[b.severity]) || (b.count - a.count);
  });

  // ---- overview ----------------------------------------------------------------------------------
  function overview() {
    var inputs = D.inputs.join(', ');
    $('title-inputs').textContent = inputs;
    document.title = 'finwait: ' + inputs;
    var services = new Set(), hosts = new Set();
    C.forEach(function (c) { services.add(serviceKey(c)); hosts.add(c.c[0]); hosts.add(c.s[0]); });
    var span = C.length ? clock(D.first) + ' \u2192 ' + clock(D.last).slice(11) + ' UTC (' + secs(D.last - D.first) + ')' : 'no connections';
    var cards = [['capture', inputs, true], ['time span', span, true], ['frames', num(D.frames)],
      ['TCP segments', num(D.tcp_segments)], ['connections', num(D.connections)]];
    if (C.length !== D.connections) cards.push(['in this report (selected)', num(C.length)]);
    cards = cards.concat([
      ['with problems', num(D.totals.with_problems)], ['services', num(services.size)], ['hosts', num(hosts.size)]]);
    if (D.malformed) cards.push(['malformed frames', num(D.malformed)]);
    if (D.non_tcp) cards.push(['not TCP', num(D.non_tcp)]);
    var f = $('facts');
    cards.forEach(function (x) {
      var d = el('div', { 'class': 'card' + (x[2] ? ' wide' : '') });
      d.appendChild(el('div', { 'class': 'v' + (x[2] ? ' small' : '') }, x[1]));
      d.appendChild(el('div', { 'class': 'k' }, x[0]));
      f.appendChild(d);
    });
    if (D.input_error) f.appendChild(el('div', { 'class': 'card wide' }, 'input ended early: ' + D.input_error));
    var t = D.totals;
    var rows = [['graceful', t.graceful, 'four_way three_way simultaneous'], ['\u2003 4-way', t.four_way, 'four_way'],
      ['\u2003 3-way', t.three_way, 'three_way'], ['\u2003 simultaneous', t.simultaneous, 'simultaneous'],
      ['half-closed', t.half_closed], ['reset', t.reset, 'reset fin_then_reset'], ['refused', t.refused, 'refused'],
      ['still open', t.open, 'open'], ['never opened', t.never_opened, 'never_opened'],
      ['TIME_WAIT on the client side', t.time_wait_client], ['TIME_WAIT on the server side', t.time_wait_server],
      ['RST sent by clients', t.rst_by_client], ['RST sent by servers', t.rst_by_server], ['4-tuples reused', t.reused]];
    if (t.expired_idle) rows.push(['finished by the idle timeout', t.expired_idle]);
    var tb = $('totals');
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', null, r[0]));
      tr.appendChild(el('td', { 'class': 'n' }, num(r[1])));
      tb.appendChild(tr);
    });
    if (t.time_wait_server > t.time_wait_client) {
      var tr = el('tr');
      tr.appendChild(el('td', { colspan: '2', 'class': 'note' }, 'The servers close first and pile up TIME_WAIT.'));
      tb.appendChild(tr);
    }
    var fd = $('findings');
    if (!FINDINGS.length) {
      fd.appendChild(el('p', { 'class': 'note' }, D.findings ? 'No findings: nothing the packets call a problem.'
        : 'This report has no per-service diagnosis; the filters of the timeline pick out connections with problems.'));
    }
    // One block per kind (worst first, as the diagnosis orders them), a line per service or host in it.
    var groups = new Map();
    FINDINGS.forEach(function (x, i) {
      var key = x.kind + '/' + x.severity + '/' + (x.side || ''); // the explanation names the side
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push([x, i]);
    });
    groups.forEach(function (list) {
      var first = list[0][0];
      var g = el('div', { 'class': 'finding ' + first.severity });
      var head = el('div');
      head.appendChild(el('span', { 'class': 'kind' }, first.kind));
      var total = list.reduce(function (n, e) { return n + e[0].count; }, 0);
      head.appendChild(document.createTextNode(' \u00b7 ' + first.severity + ' \u00b7 ' + list.length +
        (list.length === 1 ? ' ' + (first.scope || 'service') : (first.scope === 'host' ? ' hosts' : ' services')) +
        (first.kind === 'ephemeral_port_pressure' ? '' : ' \u00b7 ' + num(total) + ' connections')));
      g.appendChild(head);
      g.appendChild(el('div', { 'class': 'explanation' }, first.explanation || ''));
      var more = null;
      list.slice(0, 200).forEach(function (e, n) {
        var x = e[0];
        if (n === 8) {
          more = el('details');
          more.appendChild(el('summary', { 'class': 'note' }, (list.length - 8) + ' more'));
          g.appendChild(more);
        }
        var row = el('div', { 'class': 'finding-row', 'data-finding-kind': x.kind });
        var a = el('a', { href: '#timeline', 'class': 'where' }, (x.where || '') + (x.side ? ' (' + x.side + ')' : ''));
        a.addEventListener('click', function () { $('f-finding').value = 'f' + e[1]; applyFilters(); });
        row.appendChild(a);
        var share = x.of ? ' of ' + num(x.of) + ' (' + (100 * x.count / x.of).toFixed(x.count * 1000 < x.of ? 2 : 0) + ' %)' : '';
        row.appendChild(document.createTextNode(' ' + num(x.count) + share + '  '));
        (x.examples || []).slice(0, 6).forEach(function (id) {
          row.appendChild(el('a', { href: '#connection-' + id, 'class': 'ex' }, '#' + id));
        });
        (more || g).appendChild(row);
      });
      if (list.length > 200) g.appendChild(el('div', { 'class': 'note' }, (list.length - 200) + ' more: pick them in the timeline\'s finding filter'));
      fd.appendChild(g);
    });
    // What the connections show, each a link to the timeline filtered on it.
    var pk = $('problem-kinds');
    PROBLEM_KINDS.forEach(function (p) {
      var n = 0;
      C.forEach(function (c) { if (p[2](c)) n++; });
      var tr = el('tr');
      var td = el('td');
      var a = el('a', { href: '#timeline', 'data-problem-kind': p[0] }, p[1]);
      a.addEventListener('click', function () { $('f-finding').value = 'p:' + p[0]; applyFilters(); });
      td.appendChild(a);
      tr.appendChild(td);
      tr.appendChild(el('td', { 'class': 'n' }, num(n)));
      pk.appendChild(tr);
    });
    var L = D.ladders;
    $('ladder-note').textContent = 'Ladders (every segment) are kept for ' + num(L.kept) + ' of ' + num(C.length) +
      ' connections: those with a problem first (at most ' + num(L.problem_cap) + '), then the first ' + num(L.other_cap) +
      ' others; at most ' + num(L.max_segments) + ' segments each. Every connection has its row in the timeline.';
  }

  // ---- per-connection intervals: the chart categories and the lanes ------------------------------
  /** Calls emit(category, from, to) in µs from D.base for ESTABLISHED, half-closed, CLOSE_WAIT, TIME_WAIT. */
  function intervals(c, emit) {
    var end = c.t0 + c.d;
    var open = function (f) { return f !== ST.CLOSED && f !== ST.TIME_WAIT; };
    var stillOpen = open(c.cs.f) || open(c.ss.f);
    var stop = stillOpen ? Math.max(end, D.last) : end;
    var ev = [];
    [c.cs.t, c.ss.t].forEach(function (t, side) {
      for (var i = 0; i < t.length; i += 4) ev.push([t[i + 1], side, t[i]]);
    });
    ev.sort(function (a, b) { return a[0] - b[0]; });
    var st = [0, 0], from = null, cat = null, i = 0;
    // As the diagnosis counts them: a side in CLOSE_WAIT that keeps sending is a half-close in use.
    var sending = !!c.hc && c.hc[3] > 0;
    function category() {
      if (st[0] === ST.CLOSE_WAIT || st[1] === ST.CLOSE_WAIT) return sending ? null : 'close_wait';
      return Math.max(st[0], st[1]) === ST.ESTABLISHED ? 'established' : null;
    }
    while (i < ev.length) {
      var t = ev[i][0], at = c.t0 + t;
      if (cat && at > from) emit(cat, from, at);
      while (i < ev.length && ev[i][0] === t) { st[ev[i][1]] = ev[i][2]; i++; }
      cat = category();
      from = at;
    }
    if (cat && stop > from) emit(cat, from, stop);
    if (sending) emit('half_closed', c.t0 + c.hc[1], c.hc[2] === null ? stop : c.t0 + c.hc[2]);
    if (c.tw) c.tw.forEach(function (w) { emit('time_wait', c.t0 + w[1], c.t0 + w[4]); });
  }

  // ---- charts ------------------------------------------------------------------------------------
  var POINTS = 200;
  function computeSeries() {
    var start = D.first, end = Math.max(D.last, D.first + 1);
    var step = (end - start) / (POINTS - 1);
    var counts = {};
    function topKeys(keyOf, n) {
      var m = new Map();
      C.forEach(function (c) { keyOf(c).forEach(function (k) { m.set(k, (m.get(k) || 0) + 1); }); });
      return Array.from(m.entries()).sort(function (a, b) { return b[1] - a[1]; }).slice(0, n).map(function (e) { return e[0]; });
    }
    var services = topKeys(function (c) { return ['s:' + serviceKey(c)]; }, 12);
    var hosts = topKeys(function (c) { return c.c[0] === c.s[0] ? ['h:' + c.c[0]] : ['h:' + c.c[0], 'h:' + c.s[0]]; }, 12);
    ['all'].concat(services, hosts).forEach(function (k) {
      counts[k] = {};
      SERIES.forEach(function (s) { counts[k][s[0]] = new Int32Array(POINTS + 1); });
    });
    C.forEach(function (c) {
      var keys = ['all'];
      var sk = 's:' + serviceKey(c);
      if (counts[sk]) keys.push(sk);
      if (counts['h:' + c.c[0]]) keys.push('h:' + c.c[0]);
      if (c.s[0] !== c.c[0] && counts['h:' + c.s[0]]) keys.push('h:' + c.s[0]);
      intervals(c, function (cat, a, b) {
        var i0 = Math.max(0, Math.ceil((a - start) / step)), i1 = b >= end ? POINTS : Math.min(POINTS, Math.ceil((b - start) / step));
        if (i1 <= i0) return;
        keys.forEach(function (k) { var d = counts[k][cat]; d[i0]++; d[i1]--; });
      });
    });
    Object.keys(counts).forEach(function (k) {
      SERIES.forEach(function (s) {
        var d = counts[k][s[0]], run = 0;
        for (var i = 0; i < POINTS; i++) { run += d[i]; d[i] = run; }
        counts[k][s[0]] = d.subarray(0, POINTS); // the last slot only held the ends past the last point
      });
    });
    return { start: start, step: step, counts: counts, services: services, hosts: hosts };
  }

  /**
   * The diagnosis' own series, as HtmlWriter writes them: {scope: 'service'|'host', key, start and step
   * in µs from D.base, established: [...], half_closed: [...], close_wait: [...], time_wait: [...]}.
   */
  function seriesFromDiagnosis(list) {
    var out = { counts: {}, services: [], hosts: [], start: D.first, step: 1 };
    list.forEach(function (s) {
      var key = (s.scope === 'host' ? 'h:' : 's:') + s.key;
      out.start = s.start; out.step = s.step;
      out.counts[key] = {};
      // a step that runs past the end of the capture holds a mean over less time: left out
      var n = (s[SERIES[0][0]] || []).length;
      if (n > 1 && s.start + n * s.step > D.last) n--;
      SERIES.forEach(function (x) { out.counts[key][x[0]] = (s[x[0]] || []).slice(0, n); });
      (s.scope === 'host' ? out.hosts : out.services).push(key);
    });
    out.services = out.services.slice(0, 12);
    out.hosts = out.hosts.slice(0, 12);
    return out;
  }

  function chartSvg(series, width, height, start, step) {
    var n = series[SERIES[0][0]].length;
    var max = 1;
    SERIES.forEach(function (s) { for (var i = 0; i < n; i++) max = Math.max(max, series[s[0]][i]); });
    var L = 34, R = 6, T = 6, B = 16, w = width - L - R, h = height - T - B;
    var svg = ['<svg xmlns="' + SVGNS + '" class="chart" viewBox="0 0 ' + width + ' ' + height + '" width="' + width + '" height="' + height + '">'];
    [0, 0.5, 1].forEach(function (f) {
      var y = T + h - f * h;
      svg.push('<line x1="' + L + '" x2="' + (L + w) + '" y1="' + y + '" y2="' + y + '" stroke="' + COLORS.grid + '"/>');
      svg.push('<text x="' + (L - 4) + '" y="' + (y + 3) + '" text-anchor="end">' + Math.round(max * f) + '</text>');
    });
    svg.push('<text x="' + L + '" y="' + (height - 3) + '">+0s</text>');
    svg.push('<text x="' + (L + w) + '" y="' + (height - 3) + '" text-anchor="end">+' + secs(step * (n - 1)) + '</text>');
    SERIES.forEach(function (s) {
      var d = series[s[0]], pts = [];
      for (var i = 0; i < n; i++) pts.push((L + w * i / Math.max(1, n - 1)).toFixed(1) + ',' + (T + h - h * d[i] / max).toFixed(1));
      svg.push('<polyline fill="none" stroke-width="1.5" stroke="' + s[2] + '" points="' + pts.join(' ') + '"/>');
    });
    svg.push('</svg>');
    return svg.join('');
  }

  function charts() {
    var lg = $('legend');
    SERIES.forEach(function (s) {
      var span = el('span');
      span.appendChild(el('i', { style: 'background:' + s[2] }));
      span.appendChild(document.createTextNode(s[1]));
      lg.appendChild(span);
    });
    var own = computeSeries();
    var ser = D.series && D.series.length ? seriesFromDiagnosis(D.series) : own;
    $('charts-note').textContent = 'Connections in each state over capture time: the whole capture sampled at ' + POINTS +
      ' points from each connection\'s transitions' + (ser === own ? ', and so are' : '; the diagnosis\' time series (mean per step) for') +
      ' the 12 busiest services and hosts. A rising TIME_WAIT line is a TIME_WAIT pile; a CLOSE_WAIT line that never falls is a leak.';
    var wide = $('chart-all');
    wide.innerHTML = chartSvg(own.counts.all, Math.max(600, wide.clientWidth || 1000), 180, own.start, own.step);
    function grid(id, keys, label) {
      var g = $(id);
      keys.forEach(function (k) {
        var fig = el('figure');
        fig.appendChild(el('figcaption', null, label(k.slice(2))));
        var box = el('div');
        box.innerHTML = chartSvg(ser.counts[k], 320, 100, ser.start, ser.step);
        fig.appendChild(box);
        g.appendChild(fig);
      });
    }
    grid('charts-services', ser.services, function (k) {
      if (ser !== own) return k;
      var p = k.split(':'); return ep([+p[0], +p[1]]);
    });
    grid('charts-hosts', ser.hosts, function (k) { return ser !== own ? k : host(+k); });
  }

  // ---- timeline ----------------------------------------------------------------------------------
  var ROW_H = 22;
  var rows = C.slice();
  var view = { from: D.first, to: Math.max(D.last, D.first + 1) };
  var selected = null;
  var LANE = [[ST.SYN_SENT, '#9db4c9'], [ST.SYN_RCVD, '#9db4c9'], [ST.ESTABLISHED, COLORS.est],
    [ST.FIN_WAIT_1, '#7ea6d8'], [ST.FIN_WAIT_2, '#7ea6d8'], [ST.CLOSING, '#7ea6d8'], [ST.CLOSE_WAIT, COLORS.cw],
    [ST.LAST_ACK, '#e0b25a'], [ST.TIME_WAIT, COLORS.tw], [ST.UNKNOWN, '#c8ced4'], [ST.LISTEN, '#c8ced4']];
  var LANE_COLOR = {};
  LANE.forEach(function (x) { LANE_COLOR[x[0]] = x[1]; });

  function options(id, list) {
    var s = $(id);
    list.forEach(function (o) { s.appendChild(el('option', { value: o[0] }, o[1])); });
  }

  function timelineControls() {
    var svc = new Map(), hs = new Map(), kinds = new Map();
    C.forEach(function (c) {
      var k = serviceKey(c); svc.set(k, (svc.get(k) || 0) + 1);
      hs.set(c.c[0], (hs.get(c.c[0]) || 0) + 1);
      if (c.s[0] !== c.c[0]) hs.set(c.s[0], (hs.get(c.s[0]) || 0) + 1);
      kinds.set(c.k, (kinds.get(c.k) || 0) + 1);
    });
    var byCount = function (m) { return Array.from(m.entries()).sort(function (a, b) { return b[1] - a[1]; }); };
    options('f-service', [['', 'all']].concat(byCount(svc).slice(0, 2000).map(function (e) {
      var p = e[0].split(':'); return [e[0], ep([+p[0], +p[1]]) + ' (' + e[1] + ')'];
    })));
    options('f-host', [['', 'all']].concat(byCount(hs).slice(0, 2000).map(function (e) { return [String(e[0]), host(e[0]) + ' (' + e[1] + ')']; })));
    options('f-close', [['', 'all']].concat(byCount(kinds).map(function (e) { return [e[0], e[0] + ' (' + e[1] + ')']; })));
    options('f-finding', [['', 'all']].concat(FINDINGS.map(function (x, i) { return ['f' + i, x.kind + ' ' + (x.where || '')]; }),
      PROBLEM_KINDS.map(function (p) { return ['p:' + p[0], p[1]]; })));
    ['f-service', 'f-host', 'f-close', 'f-finding', 'f-sort'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
    $('f-text').addEventListener('input', applyFilters);
    var lg = $('lane-legend');
    [['SYN_SENT / SYN_RCVD', '#9db4c9'], ['ESTABLISHED', COLORS.est], ['FIN_WAIT_1/2, CLOSING', '#7ea6d8'],
      ['CLOSE_WAIT', COLORS.cw], ['LAST_ACK', '#e0b25a'], ['TIME_WAIT', COLORS.tw], ['RST', COLORS.rst], ['FIN sent', COLORS.fin]]
      .forEach(function (x) { var s = el('span'); s.appendChild(el('i', { style: 'background:' + x[1] })); s.appendChild(document.createTextNode(x[0])); lg.appendChild(s); });
    lg.appendChild(el('span', null, 'upper lane: client, lower lane: server'));
  }

  function applyFilters() {
    var svc = $('f-service').value, hs = $('f-host').value, close = $('f-close').value, fnd = $('f-finding').value;
    var text = $('f-text').value.trim();
    var pred = null, ids = null;
    if (fnd.indexOf('p:') === 0) {
      PROBLEM_KINDS.forEach(function (p) { if ('p:' + p[0] === fnd) pred = p[2]; });
    } else if (fnd) {
      // a finding: its examples, and the connections of its service that show its kind
      var F = FINDINGS[+fnd.slice(1)], kind = FINDING_KIND[F.kind] || function () { return false; };
      var examples = new Set(F.examples || []);
      pred = function (c) { return examples.has(c.i) || ((F.svc === undefined || serviceKey(c) === F.svc) && kind(c)); };
    }
    var h = hs === '' ? -1 : +hs;
    rows = C.filter(function (c) {
      if (svc && serviceKey(c) !== svc) return false;
      if (h >= 0 && c.c[0] !== h && c.s[0] !== h) return false;
      if (close && c.k !== close) return false;
      if (pred && !pred(c)) return false;
      if (ids && !ids.has(c.i)) return false;
      if (text && String(c.i) !== text && (ep(c.c) + ' ' + ep(c.s)).indexOf(text) < 0) return false;
      return true;
    });
    var sort = $('f-sort').value;
    rows.sort(sort === 'duration' ? function (a, b) { return (b.d - a.d) || (a.i - b.i); }
      : sort === 'problems' ? function (a, b) { return ((b.p || 0) - (a.p || 0)) || (a.i - b.i); }
        : function (a, b) { return (a.t0 - b.t0) || (a.i - b.i); });
    $('row-count').textContent = num(rows.length) + ' of ' + num(C.length) + ' connections';
    document.body.setAttribute('data-rows', String(rows.length));
    $('rows-spacer').style.height = (rows.length * ROW_H) + 'px';
    $('rows').scrollTop = 0;
    renderRows(true);
  }

  var lastFirst = -1, lastLast = -1, shown = new Map();
  /** Rows are DOM (ids, text, clicks) only where visible; their lanes are one canvas over the list. */
  function renderRows(force) {
    var box = $('rows');
    var first = Math.max(0, Math.floor(box.scrollTop / ROW_H) - 8);
    var last = Math.min(rows.length, Math.ceil((box.scrollTop + box.clientHeight) / ROW_H) + 8);
    if (force) {
      shown.clear();
      $('rows-spacer').replaceChildren();
    }
    if (force || first !== lastFirst || last !== lastLast) {
      // Rows that stay keep their element; only those that scroll in are built.
      shown.forEach(function (e, i) { if (i < first || i >= last) { e.remove(); shown.delete(i); } });
      var frag = document.createDocumentFragment();
      for (var i = first; i < last; i++) {
        if (!shown.has(i)) { var e = rowEl(rows[i], i); shown.set(i, e); frag.appendChild(e); }
      }
      $('rows-spacer').appendChild(frag);
      lastFirst = first;
      lastLast = last;
    }
    if (force) {
      geometry = null;
      drawAxis();
    }
    drawLanes();
  }

  function rowEl(c, i) {
    var r = el('div', { 'class': 'row' + (c.i === selected ? ' sel' : ''), 'data-connection-id': String(c.i) });
    r.style.top = (i * ROW_H) + 'px';
    r.appendChild(el('div', { 'class': 'c-id' }, '#' + c.i));
    var e = ep(c.c) + ' \u2192 ' + ep(c.s);
    r.appendChild(el('div', { 'class': 'c-ep', title: e }, e));
    var k = el('div', { 'class': 'c-close' });
    k.appendChild(el('span', { 'class': 'badge ' + closeBadge(c.k) }, c.k));
    if (c.p) k.appendChild(el('span', { 'class': 'badge bad', title: 'problems' }, String(c.p)));
    r.appendChild(k);
    r.appendChild(el('div', { 'class': 'c-dur' }, secs(c.d)));
    r.appendChild(el('div', { 'class': 'c-lanes' }));
    return r;
  }

  function xOf(t, w) { return (t - view.from) / (view.to - view.from) * w; }

  var geometry = null;
  function drawLanes() {
    var box = $('rows'), cv = $('lanes'), dpr = window.devicePixelRatio || 1;
    if (!geometry) {
      var head = document.querySelector('.tl-head .c-lanes').getBoundingClientRect();
      var wrap = box.getBoundingClientRect();
      geometry = { left: head.left - wrap.left, w: Math.max(10, Math.min(head.width, box.clientWidth - (head.left - wrap.left))),
        h: box.clientHeight };
      cv.style.left = geometry.left + 'px';
      cv.style.width = geometry.w + 'px';
      cv.style.height = geometry.h + 'px';
      cv.width = Math.round(geometry.w * dpr);
      cv.height = Math.round(geometry.h * dpr);
    }
    var w = geometry.w, g = cv.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, geometry.h);
    var top = box.scrollTop;
    var i0 = Math.max(0, Math.floor(top / ROW_H)), i1 = Math.min(rows.length, Math.ceil((top + geometry.h) / ROW_H));
    for (var i = i0; i < i1; i++) drawRowLanes(g, rows[i], i * ROW_H - top + 4, w);
  }

  function drawRowLanes(g, c, y0, w) {
    var end = c.t0 + c.d;
    for (var s = 0; s < 2; s++) {
      var y = y0 + (s === 0 ? 1 : 8), t = (s === 0 ? c.cs : c.ss).t;
      for (var i = 0; i < t.length; i += 4) {
        var col = LANE_COLOR[t[i]];
        if (!col) continue;
        var x0 = xOf(c.t0 + t[i + 1], w), x1 = xOf(i + 4 < t.length ? c.t0 + t[i + 5] : end, w);
        if (x1 < 0 || x0 > w) continue;
        g.fillStyle = col;
        g.fillRect(x0, y, Math.max(1, x1 - x0), 5);
        if (t[i] === ST.FIN_WAIT_1 || t[i] === ST.LAST_ACK) { g.fillStyle = COLORS.fin; g.fillRect(x0 - 1, y - 1, 2, 7); }
      }
    }
    if (c.tw) {
      g.globalAlpha = 0.55;
      g.fillStyle = COLORS.tw;
      c.tw.forEach(function (wd) {
        var x0 = xOf(c.t0 + wd[1], w), x1 = xOf(c.t0 + wd[4], w);
        g.fillRect(x0, y0 + (wd[0] === 0 ? 1 : 8), Math.max(1, x1 - x0), 5);
      });
      g.globalAlpha = 1;
    }
    if (c.r) {
      g.fillStyle = COLORS.rst;
      c.r.forEach(function (x) { g.fillRect(xOf(c.t0 + x[1], w) - 1, y0, 3, 14); });
    }
  }

  function drawAxis() {
    var cv = $('axis'), w = cv.clientWidth || 600, dpr = window.devicePixelRatio || 1;
    cv.width = Math.round(w * dpr); cv.height = Math.round(20 * dpr);
    var g = cv.getContext('2d');
    g.scale(dpr, dpr);
    g.fillStyle = '#5d6975'; g.font = '10px sans-serif';
    var span = view.to - view.from;
    var raw = span / 6, mag = Math.pow(10, Math.floor(Math.log10(Math.max(1, raw))));
    var tick = [1, 2, 5, 10].map(function (m) { return m * mag; }).find(function (s) { return s >= raw; }) || mag * 10;
    var t = Math.ceil((view.from - D.first) / tick) * tick + D.first;
    for (var n = 0; t <= view.to && n < 20; t += tick, n++) {
      var x = xOf(t, w);
      g.fillRect(x, 14, 1, 6);
      var label = '+' + ((t - D.first) / 1e6).toFixed(tick < 1000 ? 6 : tick < 1e6 ? 3 : 1) + 's';
      g.fillText(label, Math.min(Math.max(0, x - 20), w - 60), 11);
    }
  }

  function setView(from, to) {
    var full = Math.max(D.last, D.first + 1) - D.first;
    var span = Math.min(full, Math.max(10, to - from));
    from = Math.max(D.first, Math.min(from, D.first + full - span));
    view.from = from; view.to = from + span;
    document.body.setAttribute('data-view', Math.round(view.from) + ' ' + Math.round(view.to));
    renderRows(true);
  }

  function timelineEvents() {
    var box = $('rows');
    var pending = false;
    box.addEventListener('scroll', function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; renderRows(false); });
    });
    var lanesLeft = function () { return document.querySelector('.tl-head .c-lanes').getBoundingClientRect(); };
    function zoom(e, factor) {
      var r = lanesLeft();
      var f = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
      var at = view.from + f * (view.to - view.from), span = (view.to - view.from) * factor;
      setView(at - f * span, at - f * span + span);
    }
    $('tl-head').addEventListener('wheel', function (e) { e.preventDefault(); zoom(e, e.deltaY > 0 ? 1.25 : 0.8); }, { passive: false });
    box.addEventListener('wheel', function (e) {
      if (!e.ctrlKey && !e.altKey) return;
      e.preventDefault(); zoom(e, e.deltaY > 0 ? 1.25 : 0.8);
    }, { passive: false });
    var drag = null;
    box.addEventListener('mousedown', function (e) { drag = { x: e.clientX, from: view.from, to: view.to, moved: false }; });
    window.addEventListener('mousemove', function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (!drag.moved) return;
      var r = lanesLeft(), dt = -dx / r.width * (drag.to - drag.from);
      setView(drag.from + dt, drag.to + dt);
    });
    window.addEventListener('mouseup', function () { setTimeout(function () { drag = null; }, 0); });
    box.addEventListener('click', function (e) {
      if (drag && drag.moved) return;
      var row = e.target.closest('.row');
      if (row) location.hash = 'connection-' + row.getAttribute('data-connection-id');
    });
    $('tl-head').addEventListener('dblclick', function () { setView(D.first, Math.max(D.last, D.first + 1)); });
    window.addEventListener('resize', function () { renderRows(true); });
  }

  // ---- connection view: the ladder ---------------------------------------------------------------
  function verdict(c) {
    var L = [];
    var ff = c.ff === undefined ? '' : ', ' + SIDES[c.ff] + ' closed first';
    var by = '';
    if ((c.k === 'reset' || c.k === 'fin_then_reset') && c.r) {
      var a = c.r.find(function (x) { return x[5] === 1; });
      if (a) by = ' by ' + SIDES[a[0]];
    }
    L.push('open: ' + c.h + ' \u00b7 close: ' + c.k + by + ff + ' \u00b7 final: client ' + S[c.cs.f] + ', server ' + S[c.ss.f] + ' \u00b7 ' + secs(c.d));
    if (c.hc) {
      var other = SIDES[1 - c.hc[0]];
      L.push('half-close: ' + SIDES[c.hc[0]] + ' sent FIN at +' + secs(c.hc[1]) + '; ' + other + ' kept sending ' + c.hc[3] + ' bytes' +
        (c.hc[2] === null ? ' until the end of the capture' : ' for ' + secs(c.hc[2] - c.hc[1])));
    }
    (c.r || []).forEach(function (x) {
      L.push('reset: ' + SIDES[x[0]] + (x[4] ? ' RST+ACK' : ' RST') + ' in ' + S[x[3]] + ', ' + x[6].replace(/_/g, ' ') +
        (x[5] ? '' : ' (not acceptable to the receiver: ignored)') + ' at +' + secs(x[1]) + ' frame ' + x[2]);
    });
    (c.tw || []).forEach(function (w) {
      L.push('TIME_WAIT ' + SIDES[w[0]] + ' from +' + secs(w[1]) + ' until +' + secs(w[2]) + ' (2MSL), ended by ' + w[3] + ' at +' + secs(w[4]));
    });
    if (c.u) L.push('reuses the 4-tuple of #' + c.u[0] + (c.u[1] === null ? '' : ' inside the ' + SIDES[c.u[1]] + "'s TIME_WAIT") +
      (c.u[2] ? ' (legal: ' : ' (premature: ') + c.u[3] + ')');
    (c.a || []).slice(0, 5).forEach(function (a) { L.push('anomaly: ' + a[0] + (a[1] > 0 ? ' at frame ' + a[1] : '') + (a[3] ? ': ' + a[3] : '')); });
    L.push('zeek: ' + c.z[0] + ' ' + c.z[1] + ' \u00b7 packets client ' + c.cs.n[0] + ', server ' + c.ss.n[0] +
      ' \u00b7 payload bytes client ' + c.cs.n[1] + ', server ' + c.ss.n[1]);
    return L;
  }

  /** The ladder as a standalone SVG string (inline styles only, so a copy stands alone). */
  function ladderSvg(c) {
    var g = c.g || [], n = g.length / 9;
    var W = 900, XL = 250, XR = 690, TOP = 70, RH = 24;
    var lines = verdict(c);
    var bottom = TOP + n * RH;
    var H = bottom + 30 + (c.gx ? 18 : 0) + lines.length * 17 + 14;
    var o = [];
    var mono = 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace"';
    o.push('<svg xmlns="' + SVGNS + '" data-connection-id="' + c.i + '" viewBox="0 0 ' + W + ' ' + H + '" width="' + W + '" height="' + H + '" font-size="12" ' + mono + '>');
    o.push('<rect width="' + W + '" height="' + H + '" fill="#ffffff"/>');
    o.push('<text x="12" y="20" font-size="14" font-weight="bold" fill="#1d232b">#' + c.i + '  ' + esc(ep(c.c)) + ' \u2192 ' + esc(ep(c.s)) +
      '  (' + esc(c.h) + ' open, ' + esc(c.k) + ' close)</text>');
    o.push('<text x="' + XL + '" y="48" text-anchor="middle" font-weight="bold" fill="#1d232b">client ' + esc(ep(c.c)) + '</text>');
    o.push('<text x="' + XR + '" y="48" text-anchor="middle" font-weight="bold" fill="#1d232b">server ' + esc(ep(c.s)) + '</text>');
    o.push('<text x="12" y="48" fill="#5d6975">time</text>');
    o.push('<line x1="' + XL + '" x2="' + XL + '" y1="56" y2="' + bottom + '" stroke="#8a949e" stroke-width="2"/>');
    o.push('<line x1="' + XR + '" x2="' + XR + '" y1="56" y2="' + bottom + '" stroke="#8a949e" stroke-width="2"/>');
    function rowOf(t) {
      for (var i = 0; i < n; i++) if (g[i * 9] >= t) return i;
      return n;
    }
    function yOf(row) { return TOP + row * RH + RH / 2; }
    if (c.hc && n) {
      var still = 1 - c.hc[0], r0 = rowOf(c.hc[1]), r1 = c.hc[2] === null ? n : rowOf(c.hc[2]);
      var x = still === 0 ? XL - 5 : XR - 5;
      o.push('<rect x="' + x + '" y="' + yOf(r0) + '" width="10" height="' + Math.max(4, yOf(Math.min(r1, n)) - yOf(r0)) +
        '" fill="#d49a1c" fill-opacity="0.35"><title>half-closed: ' + SIDES[still] + ' still sending</title></rect>');
    }
    (c.tw || []).forEach(function (w) {
      if (!n) return;
      var r0 = rowOf(w[1]), x = w[0] === 0 ? XL - 5 : XR - 5;
      o.push('<rect x="' + x + '" y="' + yOf(r0) + '" width="10" height="' + (bottom + 14 - yOf(r0)) + '" fill="#6d4bb3" fill-opacity="0.3"/>');
      o.push('<text x="' + (w[0] === 0 ? XL - 10 : XR + 10) + '" y="' + (bottom + 14) + '" text-anchor="' + (w[0] === 0 ? 'end' : 'start') +
        '" fill="#6d4bb3" font-size="11">TIME_WAIT until +' + secs(w[2]) + '</text>');
    });
    var prev = [ST.UNKNOWN, ST.UNKNOWN]; // as the text ladder: UNKNOWN is not written
    for (var i = 0; i < n; i++) {
      var b = i * 9, t = g[b], from = g[b + 1], f = g[b + 2], seq = g[b + 3], ack = g[b + 4], len = g[b + 5], retx = g[b + 6];
      var y = yOf(i);
      var color = (f & 4) ? COLORS.rst : (f & 2) ? COLORS.syn : (f & 1) ? COLORS.fin : COLORS.data;
      var label = flagsText(f) + ' seq ' + seq + (ack >= 0 ? ' ack ' + ack : '') + (len ? ' len ' + len : '') + (retx ? ' (retx)' : '');
      var x1 = from === 0 ? XL : XR, x2 = from === 0 ? XR : XL, dir = from === 0 ? -1 : 1;
      o.push('<g data-segment="' + i + '">');
      o.push('<text x="12" y="' + (y + 4) + '" fill="#5d6975">+' + secs(t) + '</text>');
      o.push('<line x1="' + x1 + '" y1="' + (y + 6) + '" x2="' + (x2 + dir * 9) + '" y2="' + (y + 6) + '" stroke="' + color + '" stroke-width="' +
        ((f & 5) ? 2 : 1.3) + '"' + (retx ? ' stroke-dasharray="5 3"' : '') + '/>');
      o.push('<path d="M' + x2 + ' ' + (y + 6) + ' l' + (dir * 10) + ' -4.5 v9 z" fill="' + color + '"/>');
      o.push('<text x="' + ((XL + XR) / 2) + '" y="' + (y + 1) + '" text-anchor="middle" fill="' + color + '"' +
        ((f & 5) ? ' font-weight="bold"' : '') + '>' + esc(label) + '</text>');
      [g[b + 7], g[b + 8]].forEach(function (s, side) {
        if (s === prev[side]) return;
        prev[side] = s;
        var sc = s === ST.CLOSE_WAIT ? COLORS.cw : s === ST.TIME_WAIT ? COLORS.tw : s === ST.ESTABLISHED ? COLORS.est : s === ST.CLOSED ? '#1d232b' : '#2f3b47';
        o.push('<text x="' + (side === 0 ? XL - 12 : XR + 12) + '" y="' + (y + 10) + '" text-anchor="' + (side === 0 ? 'end' : 'start') +
          '" font-weight="bold" fill="' + sc + '" data-side="' + SIDES[side] + '" data-state="' + S[s] + '">' + S[s] + '</text>');
      });
      o.push('</g>');
    }
    var y0 = bottom + 34;
    if (!n) {
      o.push('<text x="' + ((XL + XR) / 2) + '" y="' + (TOP + 10) + '" text-anchor="middle" fill="#5d6975">segments not kept for this connection (see the note in the overview); its verdict:</text>');
    }
    if (c.gx) { o.push('<text x="12" y="' + y0 + '" fill="#5d6975">... ' + c.gx + ' more segments not drawn</text>'); y0 += 18; }
    lines.forEach(function (l, k) {
      o.push('<text x="12" y="' + (y0 + k * 17) + '" fill="' + (/^reset/.test(l) ? '#9b1c1a' : '#1d232b') + '" font-size="12.5">' + esc(l) + '</text>');
    });
    o.push('</svg>');
    return o.join('');
  }

  var currentSvg = null, blobUrl = null;
  function showConnection(id) {
    var c = byId.get(id);
    var box = $('ladder');
    selected = c ? id : null;
    if (!c) {
      box.replaceChildren(el('p', { 'class': 'note' }, 'No connection #' + id + ' in this report.'));
      $('copy-svg').disabled = true;
      return;
    }
    $('conn-title').textContent = '#' + c.i + ' ' + ep(c.c) + ' \u2192 ' + ep(c.s);
    currentSvg = ladderSvg(c);
    box.innerHTML = currentSvg;
    $('copy-svg').disabled = false;
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = URL.createObjectURL(new Blob([currentSvg], { type: 'image/svg+xml' }));
    $('download-svg').href = blobUrl;
    $('download-svg').download = 'connection-' + c.i + '.svg';
    document.querySelectorAll('.row.sel').forEach(function (r) { r.classList.remove('sel'); });
    var row = document.querySelector('.row[data-connection-id="' + c.i + '"]');
    if (row) row.classList.add('sel');
    $('connection').scrollIntoView({ block: 'start' });
  }

  function onHash() {
    var m = /^#connection-(\d+)$/.exec(location.hash);
    if (m) showConnection(+m[1]);
  }

  $('copy-svg').addEventListener('click', function () {
    if (!currentSvg) return;
    var done = function (ok) { $('copy-status').textContent = ok ? 'copied' : 'copy failed: use Download SVG'; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(currentSvg).then(function () { done(true); }, function () { done(fallbackCopy(currentSvg)); });
    } else {
      done(fallbackCopy(currentSvg));
    }
  });
  function fallbackCopy(text) {
    var ta = el('textarea');
    ta.value = text; document.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    return ok;
  }

  // ---- start -------------------------------------------------------------------------------------
  overview();
  charts();
  timelineControls();
  timelineEvents();
  applyFilters();
  document.body.setAttribute('data-view', Math.round(view.from) + ' ' + Math.round(view.to));
  window.addEventListener('hashchange', onHash);
  onHash();
  // ms from the start of navigation (file read, parse, JSON, first drawing): the benchmark reads it
  document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
  document.body.setAttribute('data-ready', 'true');
})();
