/**
 * Entry of the survey UI (`rapport-ui.<hash>.js`): defines `<rapport-survey>` (Preact, the
 * questions, branching). The loader (`rapport.js`) loads it when someone is asked; the console's
 * preview loads `rapport-ui.js` directly.
 */
import { RapportSurveyElement } from './element';

if (!customElements.get('rapport-survey')) customElements.define('rapport-survey', RapportSurveyElement);

export { RapportSurveyElement };
