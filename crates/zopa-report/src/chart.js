// zopa's chart script: draws a utility-space frontier and an offer trace on canvases.
// Embedded in every report so it works offline. Data comes from <script id="zopa-data">.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("zopa-data").textContent);
  var drawn = 0;
  var colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

  function frame(canvas, xLabel, yLabel) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, m = 48;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    var xs = function (u) { return m + u * (w - 2 * m); };
    var ys = function (u) { return h - m - u * (h - 2 * m); };
    ctx.strokeStyle = "#dddddd";
    ctx.lineWidth = 1;
    for (var k = 0; k <= 10; k++) {
      ctx.beginPath(); ctx.moveTo(xs(k / 10), ys(0)); ctx.lineTo(xs(k / 10), ys(1)); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(xs(0), ys(k / 10)); ctx.lineTo(xs(1), ys(k / 10)); ctx.stroke();
    }
    ctx.strokeStyle = "#333333";
    ctx.strokeRect(xs(0), ys(1), xs(1) - xs(0), ys(0) - ys(1));
    ctx.fillStyle = "#333333";
    ctx.font = "13px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(xLabel, w / 2, h - 10);
    for (var t = 0; t <= 10; t += 2) {
      ctx.fillText((t / 10).toFixed(1), xs(t / 10), ys(0) + 16);
    }
    ctx.save();
    ctx.translate(14, h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
    ctx.textAlign = "right";
    for (var s = 0; s <= 10; s += 2) {
      ctx.fillText((s / 10).toFixed(1), xs(0) - 6, ys(s / 10) + 4);
    }
    return { ctx: ctx, xs: xs, ys: ys };
  }

  function marker(f, p, colour, label, row) {
    if (!p) { return; }
    var ctx = f.ctx;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(f.xs(p[0]), f.ys(p[1]), 6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = "#111111";
    ctx.textAlign = "left";
    // Solution points often coincide: stack their labels.
    ctx.fillText(label, f.xs(p[0]) + 9, f.ys(p[1]) - 7 + 15 * (row || 0));
  }

  function drawFrontier(index) {
    var pair = data.pairs[index];
    var canvas = document.getElementById("frontier");
    if (!pair || !canvas) { return; }
    var f = frame(canvas, "utility of " + data.parties[pair.parties[0]], "utility of " + data.parties[pair.parties[1]]);
    var ctx = f.ctx;
    // The zone of possible agreement: under the frontier, above both reservation values.
    var rv = pair.reserved;
    var zone = pair.points.filter(function (p) { return p[0] >= rv[0] && p[1] >= rv[1]; });
    if (zone.length > 0) {
      var last = zone[zone.length - 1], first = zone[0];
      ctx.fillStyle = "rgba(44, 160, 44, 0.15)";
      ctx.beginPath();
      ctx.moveTo(f.xs(rv[0]), f.ys(rv[1]));
      ctx.lineTo(f.xs(rv[0]), f.ys(last[1]));
      for (var k = zone.length - 1; k >= 0; k -= 1) { ctx.lineTo(f.xs(zone[k][0]), f.ys(zone[k][1])); }
      ctx.lineTo(f.xs(first[0]), f.ys(rv[1]));
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = "#2ca02c";
      ctx.textAlign = "left";
      ctx.fillText("zone of possible agreement", f.xs(rv[0]) + 4, f.ys(rv[1]) - 4);
      document.body.dataset.zopaShaded = "yes";
    }
    ctx.strokeStyle = "#1f77b4";
    ctx.lineWidth = 2;
    ctx.beginPath();
    pair.points.forEach(function (p, k) {
      if (k === 0) { ctx.moveTo(f.xs(p[0]), f.ys(p[1])); } else { ctx.lineTo(f.xs(p[0]), f.ys(p[1])); }
    });
    ctx.stroke();
    ctx.fillStyle = "#1f77b4";
    pair.points.forEach(function (p) { ctx.fillRect(f.xs(p[0]) - 1.5, f.ys(p[1]) - 1.5, 3, 3); });
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = "#d62728";
    ctx.beginPath(); ctx.moveTo(f.xs(pair.reserved[0]), f.ys(0)); ctx.lineTo(f.xs(pair.reserved[0]), f.ys(1)); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(f.xs(0), f.ys(pair.reserved[1])); ctx.lineTo(f.xs(1), f.ys(pair.reserved[1])); ctx.stroke();
    ctx.setLineDash([]);
    marker(f, pair.nash, "#2ca02c", "Nash");
    marker(f, pair.kalai, "#9467bd", "Kalai–Smorodinsky", 1);
    marker(f, pair.egalitarian, "#ff7f0e", "egalitarian", 2);
    drawn += 1;
  }

  function drawTrace() {
    var canvas = document.getElementById("trace");
    var t = data.trace;
    if (!canvas || !t) { return; }
    var f = frame(canvas, "utility of " + t.names[0], "utility of " + t.names[1]);
    var ctx = f.ctx;
    t.offers.forEach(function (o) {
      ctx.fillStyle = colours[o.by % colours.length];
      ctx.globalAlpha = 0.35 + 0.65 * o.t;
      ctx.beginPath();
      ctx.arc(f.xs(o.u[0]), f.ys(o.u[1]), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    marker(f, t.agreement, "#111111", "agreement");
    ctx.textAlign = "left";
    t.names.forEach(function (n, k) {
      ctx.fillStyle = colours[k];
      ctx.fillRect(60, 20 + 18 * k, 10, 10);
      ctx.fillStyle = "#111111";
      ctx.fillText("offers by " + n, 76, 29 + 18 * k);
    });
    drawn += 1;
  }

  var select = document.getElementById("pair");
  if (select) {
    data.pairs.forEach(function (p, k) {
      var opt = document.createElement("option");
      opt.value = String(k);
      opt.textContent = data.parties[p.parties[0]] + " × " + data.parties[p.parties[1]];
      select.appendChild(opt);
    });
    select.addEventListener("change", function () { drawn -= 1; drawFrontier(Number(select.value)); document.body.dataset.charts = String(drawn); });
  }
  drawFrontier(0);
  drawTrace();
  document.body.dataset.charts = String(drawn);
})();
