// dvchub assistant — turns the /tro-ly form into a chat without reloading. Without this file the page still works:
// the form is a plain GET that the server answers with a full page.
(function () {
  var form = document.getElementById("hoi");
  var log = document.getElementById("hoi-thoai");
  if (!form || !log || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var sessionField = form.querySelector("input[name=session]");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;  // text only: answers never become markup here
    return node;
  }

  function link(href, text) {
    var anchor = element("a", "", text);
    anchor.href = href;
    return anchor;
  }

  function render(answer) {
    var bubble = element("div", "bubble answer");
    bubble.appendChild(element("p", "", answer.message));
    if (answer.card) {
      var card = element("div", "card procedure-card");
      var heading = element("h2");
      heading.appendChild(link(answer.card.url, answer.card.name));
      card.appendChild(heading);
      var list = element("dl");
      function row(term, value) { list.appendChild(element("dt", "", term)); list.appendChild(element("dd", "", value)); }
      row("Giấy tờ cần có", (answer.card.documents || []).join("; ") || "Xem trên trang thủ tục");
      row("Thời hạn giải quyết", answer.card.time_limit);
      row("Lệ phí", answer.card.fee || (answer.card.has_fees ? "Có phí, lệ phí" : "Không thu phí, lệ phí"));
      row("Nơi nộp", answer.card.agency);
      row("Nộp trực tuyến", answer.card.online);
      card.appendChild(list);
      bubble.appendChild(card);
    }
    if (answer.source) {
      var source = element("p", "source muted");
      source.appendChild(document.createTextNode("Nguồn: "));
      source.appendChild(link(answer.source.url, answer.source.title));
      source.appendChild(document.createTextNode(" · rà soát " + answer.source.reviewed +
        (answer.source.sample ? " · nội dung mẫu, chờ cơ quan có thẩm quyền rà soát" : "")));
      bubble.appendChild(source);
    }
    if ((answer.decision === "clarify" || answer.decision === "fallback") && answer.answers && answer.answers.length) {
      var choices = element("ul", "choices");
      answer.answers.forEach(function (item) {
        var entry = element("li");
        entry.appendChild(link(item.url, item.title));
        choices.appendChild(entry);
      });
      bubble.appendChild(choices);
    }
    if (answer.help) {
      var help = element("p");
      help.appendChild(link(answer.help.feedback_url, "Gửi câu hỏi này thành phản ánh, kiến nghị"));
      help.appendChild(document.createTextNode(". Tổng đài hỗ trợ: " + answer.help.hotline + ". Hoặc đến " +
        answer.help.one_stop + "."));
      bubble.appendChild(help);
    }
    if (answer.decision === "answer" && answer.answers.length) {
      var topic = answer.answers[0].topic;
      var votes = element("div", "vote");
      votes.appendChild(element("span", "", "Câu trả lời có giúp được bạn?"));
      [["👍", true], ["👎", false]].forEach(function (choice) {
        var button = element("button", "secondary", choice[0]);
        button.type = "button";
        button.addEventListener("click", function () {
          fetch("/api/v1/assistant/votes", {method: "POST", headers: {"Content-Type": "application/json"},
            body: JSON.stringify({topic: topic, helpful: choice[1], q: answer.question || ""})});
          votes.textContent = "Cảm ơn bạn đã đánh giá.";
        });
        votes.appendChild(button);
      });
      bubble.appendChild(votes);
    }
    log.appendChild(bubble);
    bubble.scrollIntoView({block: "nearest"});
  }

  form.addEventListener("submit", function (event) {
    var question = input.value.trim();
    if (!question) return;
    event.preventDefault();
    log.appendChild(element("p", "bubble question", question));
    input.value = "";
    fetch("/api/v1/assistant/ask", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({q: question, session: sessionField.value})})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.error) {  // e.g. 503 while the assistant starts: the message, and the question back to send again
          input.value = question;
          render({message: answer.error.message, answers: []});
          return;
        }
        if (answer.sensitive_data_warning) {
          log.appendChild(element("p", "bubble warning", "Tin nhắn có vẻ chứa số định danh, mật khẩu hoặc mã OTP. Đừng chia sẻ những thông tin này với ai; chúng tôi đã không lưu lại."));
        }
        answer.question = question;
        sessionField.value = answer.session || "";
        render(answer);
      })
      .catch(function () { form.submit(); });
  });
})();
