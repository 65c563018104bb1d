/** Sallyport's recording format, audit chain and key handling: a pure library. */
module org.sallyport.recorder {
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports org.sallyport.recorder.crypto;
    exports org.sallyport.recorder.audit;
    exports org.sallyport.recorder.recording;
    exports org.sallyport.recorder.evidence;
    exports org.sallyport.recorder.siem;
}
