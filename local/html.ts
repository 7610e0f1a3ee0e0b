/** Text into HTML (element content or a quoted attribute): the five characters that could end either are escaped. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
