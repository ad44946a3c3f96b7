// SaslHandshake v0 (key 17): same layout as v1, but the SASL tokens that follow travel as bare
// size-prefixed frames instead of SaslAuthenticate requests (librdkafka enables SASL only when
// the broker's range includes v0; it then picks v1).
// Request: mechanism string
// Response: error_code int16, mechanisms [string]
export { decodeRequest, encodeResponse } from './v1.js';
