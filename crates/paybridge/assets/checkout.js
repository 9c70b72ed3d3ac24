// Checkout page: copy button, expiry countdown, live status over SSE,
// and "Simular pagamento" without leaving the page.
(function () {
  "use strict";
  var card = document.querySelector("[data-token]");
  if (!card) return;
  var token = card.getAttribute("data-token");
  var status = document.getElementById("status");
  var pix = document.getElementById("pix");

  var copy = document.getElementById("copy");
  var field = document.getElementById("brcode");
  var copied = document.getElementById("copied");
  if (copy && field) {
    copy.addEventListener("click", function () {
      field.select();
      var done = function () { copied.textContent = "Código copiado!"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          document.execCommand("copy"); done();
        });
      } else {
        document.execCommand("copy"); done();
      }
    });
  }

  var countdown = document.getElementById("countdown");
  if (countdown) {
    var expires = Number(countdown.getAttribute("data-expires-at")) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.floor((expires - Date.now()) / 1000));
      if (left === 0) { countdown.textContent = "Prazo para pagamento encerrado"; return false; }
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      countdown.textContent = "Expira em " + (h ? h + ":" + pad(m) : m) + ":" + pad(s);
      return true;
    };
    if (tick()) { var t = setInterval(function () { if (!tick()) clearInterval(t); }, 1000); }
  }

  var show = function (s, label) {
    status.textContent = label;
    status.setAttribute("data-status", s);
    card.setAttribute("data-status", s);
    if (s !== "pending" && pix) pix.hidden = true;
  };
  if (window.EventSource) {
    var es = new EventSource("/pay/" + encodeURIComponent(token) + "/events");
    es.addEventListener("status", function (e) {
      var d = JSON.parse(e.data);
      show(d.status, d.label);
      if (d.status !== "pending") es.close();
    });
  }

  var form = document.getElementById("simulate");
  if (form && window.fetch) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var b = form.querySelector("button");
      b.disabled = true;
      b.textContent = "Enviando pagamento…";
      fetch(form.action, { method: "POST", credentials: "same-origin" }).then(function (r) {
        b.textContent = r.ok ? "Pagamento enviado" : "Falha ao simular";
        if (!r.ok) b.disabled = false;
      }, function () { b.disabled = false; b.textContent = "Simular pagamento"; });
    });
  }
})();
