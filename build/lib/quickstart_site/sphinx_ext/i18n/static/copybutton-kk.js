// Kazakh labels for sphinx-copybutton's copy buttons (only loaded on Kazakh pages).
//
// Written by hand because sphinx-copybutton (0.5.2) has no option for its labels: they live in
// the `messages` object of its copybutton.js, chosen by <html lang>, with no Kazakh entry. This
// script runs right after that one and before the page is ready, when the buttons are made:
// it adds the Kazakh labels and selects them, and puts them in the two icons whose tooltips
// copybutton.js has already filled with the English labels.
(() => {
  const kazakh = {
    copy: "Көшіру",
    copy_to_clipboard: "Алмасу буферіне көшіру",
    copy_success: "Көшірілді!",
    copy_failure: "Көшіру сәтсіз аяқталды",
  };
  if (typeof messages === "undefined" || typeof locale === "undefined") {
    return; // not the copybutton.js this was written for: keep its own labels
  }
  const english = messages[locale];
  const lang = document.documentElement.lang;
  messages[lang] = kazakh;
  locale = lang;
  iconCopy = iconCopy.replace(english.copy_to_clipboard, kazakh.copy_to_clipboard);
  iconCheck = iconCheck.replace(english.copy_success, kazakh.copy_success);
})();
