/** Sallyport's recording format, audit chain and key handling: a pure library. */
module org.sallyport.recorder {
    requires org.bouncycastle.provider;

    exports org.sallyport.recorder.crypto;
    exports org.sallyport.recorder.audit;
}
