// Draws a trainee's month-by-month total (and assessed points) from the page's json_script
// data "score-trend": {labels, total, assessed, rank}. The same numbers are in the table below.
(function () {
  "use strict";
  var source = document.getElementById("score-trend");
  var canvas = document.getElementById("score-trend-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var numbers = function (values) {
    return values.map(function (value) {
      return value === null ? null : Number(value);
    });
  };
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "总分", data: numbers(data.total), borderColor: "#c0392b", backgroundColor: "#c0392b", tension: 0.2 },
        { label: "已考核分值", data: numbers(data.assessed), borderColor: "#7f8c8d", backgroundColor: "#7f8c8d", borderDash: [4, 4], tension: 0.2 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, max: 300 } }
    }
  });
})();
