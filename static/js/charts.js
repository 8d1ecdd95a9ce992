// Every chart of the app: a <canvas data-chart="ID"> drawn from the JSON that the page wrote
// with {{ spec|json_script:"ID" }}: {type, labels, datasets: [{label, data}], max?}.
// Chart.js 4 is vendored (static/vendor/chartjs); no inline script, no CDN.
(function () {
  if (typeof window.Chart === "undefined") { return; }
  var palette = ["#c0392b", "#2e86c1", "#28b463", "#f39c12", "#8e44ad", "#16a085"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    if (canvas.dataset.chartDrawn) { return; }  // a page may load this file once per panel
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = palette[index % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        spanGaps: true,
        tension: 0.2
      };
    });
    var yScale = { beginAtZero: true };
    if (spec.max) { yScale.max = spec.max; }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: yScale },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    });
    canvas.dataset.chartDrawn = "1";
  });
})();
