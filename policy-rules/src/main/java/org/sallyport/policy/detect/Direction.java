package org.sallyport.policy.detect;

/** Direction of a guarded byte stream, seen from the device side of the gateway. */
public enum Direction {
  /** Bytes typed or sent by the vendor towards the device. */
  INPUT,
  /** Bytes produced by the device towards the vendor: the export direction. */
  OUTPUT
}
