/** Links into the web console (served at the API's origin), so e-mails open a page, not JSON. */
export const consoleRunUrl = (publicBaseUrl: string, runId: string) => `${publicBaseUrl}/runs/${encodeURIComponent(runId)}`;

/** The console's stuck-steps page, narrowed to one region prefix. */
export const consoleStuckUrl = (publicBaseUrl: string, region: string) => `${publicBaseUrl}/stuck?region=${encodeURIComponent(region)}`;
