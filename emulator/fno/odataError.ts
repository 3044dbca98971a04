import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/http';

/**
 * The AX OData error envelope [ISSUE RIS #71]:
 * {"error":{"code":"","message":"An error has occurred.","innererror":{"message","type","stacktrace"}}}
 * Status 500 for action exceptions is [INFER] (the thread does not show it), 400 for bad requests.
 */
export function odataError(
  res: ServerResponse,
  status: number,
  innerMessage: string,
  options: { type?: string; message?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(
    res,
    status,
    {
      error: {
        code: '',
        message: options.message ?? 'An error has occurred.',
        innererror: { message: innerMessage, type: options.type ?? 'System.InvalidOperationException', stacktrace: '' },
      },
    },
    options.headers,
  );
}

/** An exception thrown inside an action, worded as F&O words it. */
export function actionError(res: ServerResponse, action: string, message: string, status = 500): void {
  odataError(
    res,
    status,
    `Exception occurred while executing action ${action} on Entity DataManagementDefinitionGroup: ${message}`,
  );
}

/**
 * 401 for a missing, forged, foreign or expired token. F&O answers with a Bearer challenge; the body
 * text is [INFER] (real F&O often sends an empty body), kept in the OData envelope so clients that
 * read error.message show something useful.
 */
export function unauthorized(res: ServerResponse, authority: string, reason: string): void {
  odataError(res, 401, reason, {
    type: 'System.UnauthorizedAccessException',
    message: 'Unauthorized',
    headers: {
      'www-authenticate': `Bearer authorization_uri="${authority}oauth2/authorize", error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`,
    },
  });
}
