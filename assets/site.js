// dvchub — progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// The feedback form: while people type the title or the content, show up to five published answers to similar
// questions (GET /api/v1/feedback/similar), so they can read an existing answer before filing again.
(function () {
  var form = document.querySelector("form[data-similar]");
  if (!form || !window.fetch) return;
  var box = document.getElementById("similar-live");
  var timer = null;
  var asked = "";
  function show(items) {
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!items.length) return;
    var heading = document.createElement("h2");
    heading.textContent = "Câu trả lời đã có, có thể giúp bạn";
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/phan-anh/" + encodeURIComponent(item.tracking_code);
      link.textContent = item.title;
      entry.appendChild(link);
      if (item.unit && item.unit.name) {
        var unit = document.createElement("span");
        unit.className = "muted";
        unit.textContent = " " + item.unit.name;
        entry.appendChild(unit);
      }
      list.appendChild(entry);
    });
    box.appendChild(heading);
    box.appendChild(list);
  }
  function ask() {
    var text = (form.elements.title.value + " " + form.elements.body.value).trim();
    if (text.length < 12 || text === asked) return;
    asked = text;
    fetch("/api/v1/feedback/similar?q=" + encodeURIComponent(text.slice(0, 2000)), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (answer) { if (asked === text) show(answer.items || []); })
      .catch(function () {});
  }
  form.addEventListener("input", function (event) {
    if (event.target.name !== "title" && event.target.name !== "body") return;
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  });
})();
