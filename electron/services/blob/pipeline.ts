import type { HttpClient } from '@azure/core-rest-pipeline';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { toHttpHeadersLike } from '@azure/core-http-compat';
import { AnonymousCredential, newPipeline } from '@azure/storage-blob';
import type { IHttpClient, Pipeline } from '@azure/storage-blob';
import type { FetchLike } from '../net/fetch';
import { fetchHttpClient } from './fetchHttpClient';

/**
 * The pipeline of every blob client on a SAS URL: the SDK's policies (its retry of network
 * errors, 4 tries; SAS renewal is ours) over an HTTP client that sends through `fetch`.
 */
export function blobPipeline(fetch: FetchLike): Pipeline {
  return newPipeline(new AnonymousCredential(), {
    retryOptions: { maxTries: 4 },
    httpClient: coreHttpShape(fetchHttpClient(fetch)),
  });
}

/**
 * `StoragePipelineOptions.httpClient` still has core-http's v1 shape (WebResource in, CompatResponse
 * out); the SDK turns it back into a core-rest-pipeline HttpClient (core-http-compat's
 * convertHttpClient), handing over a WebResource that proxies its own PipelineRequest.
 */
function coreHttpShape(client: HttpClient): IHttpClient {
  return {
    async sendRequest(resource) {
      const response = await client.sendRequest(
        createPipelineRequest({
          url: resource.url,
          method: resource.method,
          headers: createHttpHeaders(resource.headers.rawHeaders()),
          body: resource.body,
          abortSignal: resource.abortSignal,
          timeout: resource.timeout,
          streamResponseStatusCodes: resource.streamResponseStatusCodes,
          onUploadProgress: resource.onUploadProgress,
          onDownloadProgress: resource.onDownloadProgress,
        }),
      );
      // The SDK finds its operation again through the response's request: give back the one it sent.
      return { ...response, request: resource, headers: toHttpHeadersLike(response.headers) };
    },
  };
}
