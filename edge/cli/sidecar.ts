/** `voxops sidecar`: runs a sidecar against any controller. */
export { main } from "../../sidecar/main.ts";
