import { describe, expect, it } from '@jest/globals';
import { signatureV2 as simulatorSignature } from '@munja/simulator';
import fc from 'fast-check';
import { authHeaders, signV2, stringToSign } from './signature';

// The reference's test vector ([NCP-sig] signature.test.ts), confirmed by the Postman gist's recipe.
const vector = {
  method: 'GET',
  path: '/vserver/v2/getServerInstanceList?responseFormatType=json',
  timestamp: '1234567890123',
  accessKey: 'TestAccessKey',
  secretKey: 'TestSecretKey',
};

describe('signature v2', () => {
  it('builds the string to sign: METHOD space PATH?QUERY LF TIMESTAMP LF ACCESSKEY, no trailing newline', () => {
    expect(stringToSign(vector.method, vector.path, vector.timestamp, vector.accessKey)).toBe(
      'GET /vserver/v2/getServerInstanceList?responseFormatType=json\n1234567890123\nTestAccessKey',
    );
  });

  it('signs the test vector to its known Base64 HMAC-SHA256', () => {
    expect(signV2(vector.method, vector.path, vector.timestamp, vector.accessKey, vector.secretKey)).toBe(
      'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=',
    );
  });

  it('upper-cases the method and changes with the query', () => {
    const base = signV2('get', vector.path, vector.timestamp, vector.accessKey, vector.secretKey);
    expect(base).toBe('FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=');
    expect(
      signV2(
        'GET',
        '/vserver/v2/getServerInstanceList',
        vector.timestamp,
        vector.accessKey,
        vector.secretKey,
      ),
    ).not.toBe(base);
  });

  it('sends the same timestamp it signed, in ms, with the access key', () => {
    const headers = authHeaders('GET', vector.path, 1234567890123.7, vector);
    expect(headers).toEqual({
      'x-ncp-apigw-timestamp': '1234567890123',
      'x-ncp-iam-access-key': 'TestAccessKey',
      'x-ncp-apigw-signature-v2': 'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=',
    });
  });

  it('property: agrees with the separately written verifier of the simulator', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'DELETE'),
        fc.stringMatching(/^\/[a-zA-Z0-9:/_-]{0,60}(\?[a-zA-Z0-9=&%_-]{1,40})?$/),
        fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 }).map(String),
        fc.stringMatching(/^[A-Za-z0-9]{1,30}$/),
        fc.string({ minLength: 1, maxLength: 50 }),
        (method, path, timestamp, accessKey, secretKey) => {
          expect(signV2(method, path, timestamp, accessKey, secretKey)).toBe(
            simulatorSignature(method, path, timestamp, accessKey, secretKey),
          );
        },
      ),
    );
  });
});
