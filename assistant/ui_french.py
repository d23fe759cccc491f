"""French for the parts of the page Streamlit writes itself (page language, upload box, toolbars).

Streamlit has no setting for the page language or for its own labels. `st.html(...,
unsafe_allow_javascript=True)` (a documented API) runs one constant script in the page: it sets
`<html lang="fr">` and replaces Streamlit's known English labels (visible text, aria-label, title,
placeholder) with French ones, including in elements drawn later. No user data goes into it.
What it cannot reach is listed in the README.
"""
from __future__ import annotations

import json

import streamlit as st

EXACT = {
    "Drag and drop files here": "Glissez-déposez vos fichiers ici",
    "Drag and drop a file here": "Glissez-déposez un fichier ici",
    "Upload": "Choisir des fichiers",
    "Add files": "Ajouter des fichiers",
    "Browse files": "Parcourir",
    "Select all": "Tout sélectionner",
    "Clear all": "Tout effacer",
    "No results": "Aucun résultat",
    "Collapse sidebar": "Replier le panneau latéral",
    "Expand sidebar": "Déplier le panneau latéral",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Fullscreen": "Plein écran",
    "View fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Copy to clipboard": "Copier",
    "Skip to main content": "Aller au contenu principal",
    "Thumbs up": "Utile",
    "Thumbs down": "Pas utile",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Close": "Fermer",
    "Delete": "Supprimer",
    "Remove": "Retirer",
    "Clear": "Effacer",
    "Send": "Envoyer",
    "Connecting": "Connexion…",
    "Connection error": "Erreur de connexion",
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez des options",
}
PATTERNS = [  # (JavaScript regular expression, replacement)
    (r"^(?:Limit )?(\d+(?:\.\d+)?)\s?MB per file(.*)$", "$1 Mo maximum par fichier$2"),
    (r"^(?:Limit )?(\d+(?:\.\d+)?)\s?KB per file(.*)$", "$1 Ko maximum par fichier$2"),
    (r"^Press Enter to .*$", "Appuyez sur Entrée pour valider"),
    (r"^Error: (.*)$", "Erreur : $1"),
]

_SCRIPT = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  doc.documentElement.setAttribute("lang", "fr");
  if (doc.__musenorFrench) return;
  doc.__musenorFrench = true;
  const exact = %(exact)s;
  const patterns = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const tr = (text) => {
    const t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(exact, t)) return text.replace(t, exact[t]);
    for (const [re, to] of patterns) if (re.test(t)) return text.replace(t, t.replace(re, to));
    return null;
  };
  const attrs = ["aria-label", "title", "placeholder"];
  const fix = (root) => {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const out = tr(n.nodeValue);
      if (out !== null && out !== n.nodeValue) n.nodeValue = out;
    }
    const elements = root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[placeholder]") : [];
    for (const el of elements) for (const a of attrs) {
      const v = el.getAttribute(a);
      const out = v === null ? null : tr(v);
      if (out !== null && out !== v) el.setAttribute(a, out);
    }
  };
  let queued = false;
  const run = () => { queued = false; doc.documentElement.setAttribute("lang", "fr"); fix(doc.body); };
  new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(run); } })
    .observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: attrs});
  run();
})();
</script>
"""


def french_page() -> None:
    """Run the translation script once per page load (the script guards against running twice)."""
    script = _SCRIPT % {"exact": json.dumps(EXACT, ensure_ascii=False), "patterns": json.dumps(PATTERNS)}
    st.html(script, unsafe_allow_javascript=True)
