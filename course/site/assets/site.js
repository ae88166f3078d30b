// The course website's one script: dark mode, the phone menu, copy buttons, figures full size, and
// the search over window.COURSE_SEARCH (search-index.js, written by the build). Nothing is fetched.
"use strict";
(() => {
  const root = document.body.dataset.root || "";
  const html = document.documentElement;

  document.querySelector(".theme").addEventListener("click", () => {
    html.dataset.theme = html.dataset.theme === "dark" ? "light" : "dark";
    localStorage.setItem("theme", html.dataset.theme);
  });

  const menu = document.querySelector(".menu");
  menu.addEventListener("click", () => {
    const open = document.body.classList.toggle("nav-open");
    menu.setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.body.classList.remove("nav-open");
  });
  const toc = document.querySelector(".toc details");
  if (toc && (matchMedia("(max-width: 1200px)").matches || document.querySelector("main.notebook"))) toc.open = false;

  for (const pre of document.querySelectorAll("article pre")) {
    const button = document.createElement("button");
    button.className = "copy";
    button.type = "button";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      const text = pre.querySelector("code") ? pre.querySelector("code").innerText : pre.innerText;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch (error) {
        button.textContent = "Select and copy";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    });
    pre.append(button);
  }

  for (const image of document.querySelectorAll("article img")) {
    image.addEventListener("click", () => {
      const box = document.createElement("div");
      box.className = "lightbox";
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-label", image.alt || "figure");
      const large = image.cloneNode();
      large.removeAttribute("width");
      // An SVG drawn at least the screen's width; a 2x PNG at its natural size.
      if (/\.svg$/i.test(image.src)) large.style.width = Math.max(image.naturalWidth * 1.5, innerWidth - 32) + "px";
      box.append(large);
      box.addEventListener("click", () => box.remove());
      document.addEventListener("keydown", (event) => { if (event.key === "Escape") box.remove(); }, {once: true});
      document.body.append(box);
    });
  }

  // Printing: a display equation wider than the page is scaled down to fit; back after printing.
  addEventListener("beforeprint", () => {
    for (const box of document.querySelectorAll(".math-display, .scroll")) {
      const paper = Math.min(box.clientWidth, 680);  // an A4 or Letter page's text width in CSS pixels
      if (box.scrollWidth > paper) box.style.zoom = (paper / box.scrollWidth).toFixed(3);
    }
  });
  addEventListener("afterprint", () => {
    for (const box of document.querySelectorAll(".math-display, .scroll")) box.style.zoom = "";
  });

  // Search: every word of the query must occur in a section; headings and whole phrases count more.
  const input = document.querySelector(".search input");
  const list = document.querySelector(".search-results");
  const escape = (text) => text.replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]);
  const find = (query) => {
    const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 1);
    if (!words.length || !window.COURSE_SEARCH) return [];
    const phrase = words.join(" ");
    const hits = [];
    for (const section of window.COURSE_SEARCH) {
      const heading = section.t.toLowerCase();
      const text = section.x.toLowerCase();
      if (!words.every((w) => heading.includes(w) || text.includes(w) || section.p.toLowerCase().includes(w))) continue;
      let score = words.reduce((sum, w) => sum + (heading.includes(w) ? 10 : 0) + Math.min(text.split(w).length - 1, 10), 0);
      if (text.includes(phrase)) score += 20;
      if (heading.includes(phrase)) score += 40;
      const at = Math.max(0, text.indexOf(text.includes(phrase) ? phrase : words[0]) - 60);
      hits.push({section, score, snippet: section.x.slice(at, at + 180)});
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, 25);
  };
  const show = () => {
    const hits = find(input.value);
    list.innerHTML = hits.map(({section, snippet}) =>
      `<li><a href="${root}${section.u}">${escape(section.t || section.p)}</a><small>${escape(section.p)}</small>` +
      `<small>…${escape(snippet)}…</small></li>`).join("") ||
      (input.value.trim() ? "<li>Nothing found.</li>" : "");
    list.hidden = !input.value.trim();
  };
  input.addEventListener("input", show);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { input.value = ""; show(); }
    if (event.key === "Enter" && list.querySelector("a")) list.querySelector("a").click();
  });
  document.addEventListener("click", (event) => { if (!event.target.closest(".search")) list.hidden = true; });
})();
