// dvchub assistant widget — embed the assistant in another site with one tag:
//   <script src="https://DVCHUB-ADDRESS/assets/widget.js" defer></script>
// It adds a button that opens /tro-ly?nhung=1 in a panel (an iframe served by dvchub itself).
(function () {
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "Hỏi trợ lý dịch vụ công";
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:12px 16px;border:0;" +
    "border-radius:24px;background:#b3261e;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer";
  var frame = document.createElement("iframe");
  frame.title = "Trợ lý dịch vụ công";
  frame.src = origin + "/tro-ly?nhung=1";
  frame.style.cssText = "position:fixed;right:16px;bottom:72px;width:min(380px,calc(100vw - 32px));" +
    "height:min(560px,calc(100vh - 96px));border:1px solid #d0d7de;border-radius:12px;background:#fff;" +
    "z-index:2147483000;display:none";
  button.addEventListener("click", function () {
    var open = frame.style.display === "none";
    frame.style.display = open ? "block" : "none";
    button.setAttribute("aria-expanded", String(open));
  });
  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
