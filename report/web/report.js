// dtm report: draws every chart of the page from the ECharts options in
// #dtm-charts (built by dtm in Go), with the SVG renderer. A chart that
// cannot be drawn says so in its box; its numbers are in the table beside
// it either way. No network access: everything is in this file.
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('dtm-charts').textContent);
  var whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  var compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  function fmt(v) { return (typeof v === 'number') ? whole.format(v) : (v == null ? '' : String(v)); }
  function fmtAbs(v) { return (typeof v === 'number') ? whole.format(Math.abs(v)) : fmt(v); }
  function axisFmt(abs) {
    return function (v) { return compact.format(abs ? Math.abs(v) : v); };
  }
  function valueAxes(option) {
    var out = [];
    ['xAxis', 'yAxis'].forEach(function (k) {
      var a = option[k];
      if (!a) { return; }
      (Array.isArray(a) ? a : [a]).forEach(function (ax) {
        if (ax.type === 'value') { out.push(ax); }
      });
    });
    return out;
  }
  var charts = [];
  var boxes = document.querySelectorAll('[data-chart]');
  Array.prototype.forEach.call(boxes, function (box) {
    var id = box.getAttribute('data-chart');
    var spec = specs[id];
    try {
      if (!spec) { throw new Error('no chart options for ' + id); }
      var option = spec.option;
      var abs = !!spec.abs;
      var scatter = (option.series || []).some(function (s) { return s.type === 'scatter'; });
      valueAxes(option).forEach(function (ax) {
        if (scatter) { return; } // degrees: plain numbers
        ax.axisLabel = Object.assign({}, ax.axisLabel, { formatter: axisFmt(abs) });
      });
      option.tooltip = Object.assign({}, option.tooltip, { valueFormatter: abs ? fmtAbs : fmt });
      if (scatter) {
        option.tooltip.formatter = function (p) {
          var v = p.value || [];
          return p.marker + ' ' + p.name + '<br>' + fmt(v[2]) + ' IDPs<br>' + v[1] + '°, ' + v[0] + '°';
        };
      }
      var chart = echarts.init(box, null, { renderer: 'svg' });
      chart.setOption(option);
      charts.push(chart);
      box.setAttribute('data-drawn', 'true');
    } catch (e) {
      box.setAttribute('data-drawn', 'false');
      box.classList.add('chart-error');
      box.textContent = 'This chart could not be drawn (' + e.message + '). Its numbers are in the table.';
      if (window.console) { console.error('dtm report: chart ' + id + ': ' + e.message); }
    }
  });
  document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  var pending = null;
  window.addEventListener('resize', function () {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 100);
  });
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
})();
