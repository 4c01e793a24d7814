// Camera barcode reader: the browser's BarcodeDetector where it exists, else ZXing.
// Reports each decoded code once through onDetected(code) and stops the camera.
import { useEffect, useRef, useState } from "react";

const FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39", "itf", "qr_code"];

export function BarcodeCamera({ onDetected }) {
  const video = useRef(null);
  const [status, setStatus] = useState("Starting the camera…");

  useEffect(() => {
    let stopped = false;
    let stream = null;
    let controls = null;
    let timer = null;

    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (controls) controls.stop();
      if (stream) stream.getTracks().forEach((t) => t.stop());
    };
    const found = (code) => {
      if (stopped || !code) return;
      stop();
      if (onDetected) onDetected(String(code));
    };

    const withDetector = async () => {
      const supported = await window.BarcodeDetector.getSupportedFormats();
      const detector = new window.BarcodeDetector({
        formats: FORMATS.filter((f) => supported.includes(f)),
      });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      if (stopped) return stop();
      video.current.srcObject = stream;
      await video.current.play();
      setStatus("Point the camera at a barcode.");
      const tick = async () => {
        if (stopped) return;
        try {
          const codes = await detector.detect(video.current);
          if (codes.length) return found(codes[0].rawValue);
        } catch (e) {
          /* a frame that could not be read; try the next one */
        }
        timer = setTimeout(tick, 150);
      };
      tick();
    };

    const withZxing = async () => {
      const { BrowserMultiFormatReader } = await import("@zxing/browser");
      const reader = new BrowserMultiFormatReader();
      setStatus("Point the camera at a barcode.");
      controls = await reader.decodeFromVideoDevice(undefined, video.current, (result) => {
        if (result) found(result.getText());
      });
      if (stopped) controls.stop();
    };

    const start = async () => {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        throw new Error("this browser gives no camera access here (HTTPS is needed)");
      }
      if ("BarcodeDetector" in window) {
        try {
          return await withDetector();
        } catch (e) {
          if (stream) stream.getTracks().forEach((t) => t.stop());
          stream = null;
        }
      }
      return withZxing();
    };

    start().catch((e) => {
      if (!stopped) setStatus("Camera unavailable: " + (e && e.message ? e.message : e));
    });
    return stop;
  }, []);

  return (
    <div style={{ width: "100%" }}>
      <video ref={video} muted playsInline style={{ width: "100%", borderRadius: 8, background: "#000" }} />
      <p role="status" style={{ fontSize: 13, opacity: 0.8 }}>{status}</p>
    </div>
  );
}
