// The site root's choice of language, the same as languages.choose() in Python: an explicit
// earlier choice (the switcher's cookie), then the browser's languages in order, then English.
function chooseLanguage(table, cookieValue, browserTags) {
  const codes = table.map((language) => language.code);
  if (codes.includes(cookieValue)) return cookieValue;
  for (const raw of browserTags) {
    const tag = raw.trim().toLowerCase().replaceAll("_", "-");
    const exact = table.find((language) => language.accepts.includes(tag));
    if (exact) return exact.code;
    const primary = tag.split("-")[0];
    const byPrimary = table.find((language) => language.accepts[0] === primary);
    if (byPrimary) return byPrimary.code;
  }
  return table[0].code;
}

function cookieNamed(name) {
  const pair = document.cookie.split("; ").find((item) => item.startsWith(name + "="));
  return pair ? decodeURIComponent(pair.slice(name.length + 1)) : null;
}
