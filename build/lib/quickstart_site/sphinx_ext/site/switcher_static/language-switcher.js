// Switching language keeps the reader's place (section ids are the same in every language)
// and remembers the choice for the server's language negotiation.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".language-switcher a[data-language]");
  if (!link) return;
  const cookie = link.closest(".language-switcher").dataset.cookie;
  document.cookie = `${cookie}=${link.dataset.language}; path=/; max-age=31536000; SameSite=Lax`;
  if (window.location.hash) {
    event.preventDefault();
    window.location.href = link.href.split("#")[0] + window.location.hash;
  }
});
