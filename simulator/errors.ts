import { defineErrorCodes } from '../protocols/errors.js';

/** Errors the simulator's HTTP API answers with (docs/errors.md §Simulator). */
export const SimulatorErrors = defineErrorCodes({
  SP_HTTP_NOT_FOUND: { message: 'no such API route' },
  SP_HTTP_BAD_JSON: { message: 'request body is not JSON' },
  SP_HTTP_TOO_LARGE: { message: 'request body too large' },
  SP_HTTP_FORBIDDEN: { message: 'Host or Origin is not this simulator (DNS rebinding, a foreign web page)' },
  SP_HTTP_CONTENT_TYPE: { message: 'a form-encoded request body; send JSON' },
  SP_HTTP_TOKEN: { message: 'the per-run token (x-smartpole-token) is missing or wrong' },
  SP_HTTP_INTERNAL: { message: 'the simulator failed to handle the request' },
  SP_SIM_BAD_REQUEST: { message: 'request body is missing a field or has a wrong one' },
  SP_SIM_NO_DEVICE: { message: 'no simulated device by that name' },
  SP_SIM_NO_FAULT: { message: 'the device has no fault by that name' },
  SP_SIM_DEVICE_UNPLUGGED: { message: 'the simulated device is unplugged; replug it first' },
  SP_SIM_NO_RUNTIME: { message: 'the runtime runs outside this simulator (--hardware-only)' },
  SP_SIM_BROKER_UNREACHABLE: { message: "the viewer's ops client cannot reach the MQTT broker" },
  SP_SIM_NO_RESPONSE: { message: 'the pole did not answer the command in time' },
  SP_SIM_NETNS: { message: 'the network-namespace data path (--netns) cannot be set up' },
});
