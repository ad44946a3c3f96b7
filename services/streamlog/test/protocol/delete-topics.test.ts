import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';

// Annotated byte fixtures for DeleteTopics (key 20), written by hand after Kafka's
// DeleteTopicsRequest.json / DeleteTopicsResponse.json: v0-v3 share one request layout, v1 adds the
// throttle time, v4 is flexible, v5 adds a per-topic error message, v6 names topics by name or id.
const ID_A = '0123456789abcdef0123456789abcdef';
const ID_B = 'fedcba9876543210fedcba9876543210';
const id = (h: string): Buffer => Buffer.from(h, 'hex');

/** the two-topic request at v0-v5: what the handler gets (v6 topics, absent here, decode to []) */
const namesRequest = { topics: [], topicNames: ['a', 'b'], timeoutMs: 5000 };
const nonFlexibleRequest = hex(
  '00000002', // TopicNames: int32 count 2
  str('a'), str('b'), // int16-length strings
  '00001388', // TimeoutMs 5000
);
const flexibleNamesRequest = hex(
  '03', // TopicNames: compact array, count + 1
  cstr('a'), cstr('b'), // compact strings (a []string has no per-element tag byte)
  '00001388', // TimeoutMs 5000
  '00', // request tagged fields
);

describe('DeleteTopics (key 20)', () => {
  it('v0: names and a timeout in; names and error codes out, no throttle time', () => {
    expect(decode(codec('DeleteTopics', 0).decodeRequest, nonFlexibleRequest)).toEqual({ value: namesRequest, rest: 0 });
    const res = { throttleTimeMs: 100, responses: [{ name: 'a', errorCode: 0 }, { name: 'b', errorCode: 3 }] };
    expect(encode(codec('DeleteTopics', 0).encodeResponse, res)).toEqual(
      hex(
        '00000002', // Responses: int32 count 2 (ThrottleTimeMs is 1+, so absent)
        str('a'), '0000', // a: no error
        str('b'), '0003', // b: UNKNOWN_TOPIC_OR_PARTITION
      ),
    );
  });

  it('v2 and v3: the v0 request; the answer leads with the throttle time', () => {
    const res = { throttleTimeMs: 100, responses: [{ name: 'a', errorCode: 73, errorMessage: 'not sent before v5' }] };
    for (const v of [2, 3]) {
      expect(decode(codec('DeleteTopics', v).decodeRequest, nonFlexibleRequest)).toEqual({ value: namesRequest, rest: 0 });
      expect(encode(codec('DeleteTopics', v).encodeResponse, res)).toEqual(
        hex(
          '00000064', // ThrottleTimeMs 100
          '00000001', // Responses: int32 count 1
          str('a'), '0049', // a: TOPIC_DELETION_DISABLED (73); ErrorMessage is 5+, so not written
        ),
      );
    }
  });

  it('v4 (flexible): compact arrays and strings, a tag byte per struct and per message; still no error message', () => {
    expect(decode(codec('DeleteTopics', 4).decodeRequest, flexibleNamesRequest)).toEqual({ value: namesRequest, rest: 0 });
    const res = { throttleTimeMs: 0, responses: [{ name: 'a', errorCode: 0, errorMessage: 'not sent before v5' }] };
    expect(encode(codec('DeleteTopics', 4).encodeResponse, res)).toEqual(
      hex(
        '00000000', // ThrottleTimeMs 0
        '02', // Responses: compact array, 1 + 1
        cstr('a'), '0000', '00', // a: no error, its tagged fields
        '00', // response tagged fields
      ),
    );
  });

  it('v5: the v4 request; each result carries a nullable error message', () => {
    expect(decode(codec('DeleteTopics', 5).decodeRequest, flexibleNamesRequest)).toEqual({ value: namesRequest, rest: 0 });
    const res = { throttleTimeMs: 0, responses: [{ name: 'a', errorCode: 0, errorMessage: null }, { name: 'b', errorCode: 89, errorMessage: 'slow down' }] };
    expect(encode(codec('DeleteTopics', 5).encodeResponse, res)).toEqual(
      hex(
        '00000000', // ThrottleTimeMs 0
        '03', // Responses: compact array, 2 + 1
        cstr('a'), '0000', '00', '00', // a: no error, null ErrorMessage (compact length 0), tags
        cstr('b'), '0059', cstr('slow down'), '00', // b: THROTTLING_QUOTA_EXCEEDED (89), its message, tags
        '00', // response tagged fields
      ),
    );
  });

  it('v6: topics are { nullable name, topic id } structs; results carry the id and a nullable name', () => {
    const req = hex(
      '03', // Topics: compact array, 2 + 1 (TopicNames is 0-5, so absent)
      cstr('a'), '00000000000000000000000000000000', '00', // by name: the id is all zeros; struct tags
      '00', ID_B, '00', // by id: null name (compact length 0), the id; struct tags
      '00001388', // TimeoutMs 5000
      '00', // request tagged fields
    );
    expect(decode(codec('DeleteTopics', 6).decodeRequest, req)).toEqual({
      value: { topics: [{ name: 'a', topicId: Buffer.alloc(16) }, { name: null, topicId: id(ID_B) }], topicNames: [], timeoutMs: 5000 },
      rest: 0,
    });
    const res = {
      throttleTimeMs: 0,
      responses: [
        { name: 'a', topicId: id(ID_A), errorCode: 0, errorMessage: null },
        { name: null, topicId: id(ID_B), errorCode: 100, errorMessage: 'no such id' },
      ],
    };
    expect(encode(codec('DeleteTopics', 6).encodeResponse, res)).toEqual(
      hex(
        '00000000', // ThrottleTimeMs 0
        '03', // Responses: compact array, 2 + 1
        cstr('a'), ID_A, '0000', '00', '00', // a: its id, no error, null message, tags
        '00', ID_B, '0064', cstr('no such id'), '00', // unnamed: null name, id, UNKNOWN_TOPIC_ID (100), message, tags
        '00', // response tagged fields
      ),
    );
  });

  it('v0 agrees with kafkajs both ways', async () => {
    const body = await kafkajsRequestBody('deleteTopics', 0, { topics: ['a', 'b'], timeout: 5000 });
    expect(decode(codec('DeleteTopics', 0).decodeRequest, body)).toEqual({ value: namesRequest, rest: 0 });
    const ours = encode(codec('DeleteTopics', 0).encodeResponse, { throttleTimeMs: 0, responses: [{ name: 'b', errorCode: 0 }, { name: 'a', errorCode: 0 }] });
    // kafkajs sorts the results by name
    expect(await kafkajsProtocol('deleteTopics', 0).response.decode(ours)).toEqual({ topicErrors: [{ topic: 'a', errorCode: 0 }, { topic: 'b', errorCode: 0 }] });
  });
});
