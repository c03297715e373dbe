import { useEffect } from "react";
import { usePlotArea, useXAxisScale, useYAxisInverseScale } from "recharts";

/** Pixel ↔ value mappings of a drawn chart, for pointer handling outside recharts. */
export type ChartScale = {
  /** Plot area, relative to the chart's container. */
  plot: { x: number; y: number; width: number; height: number };
  /** Pixel x of an x value (a bar index). */
  toPixelX: (index: number) => number;
  /** Bar index at a pixel x (fractional). */
  toIndex: (px: number) => number;
  /** Price at a pixel y. */
  toValue: (py: number) => number;
};

/**
 * Renders nothing; hands the chart's scales to `onScale` after each layout, so the crosshair follows
 * the pointer without re-rendering the chart (the chart re-renders on data only).
 */
export function ChartScaleProbe({
  onScale,
  domain,
}: {
  onScale: (scale: ChartScale) => void;
  domain: [number, number];
}) {
  const x = useXAxisScale();
  const yInverse = useYAxisInverseScale();
  const plot = usePlotArea();
  useEffect(() => {
    if (!x || !yInverse || !plot) return;
    const [d0, d1] = domain;
    const p0 = x(d0) ?? plot.x;
    const p1 = x(d1) ?? plot.x + plot.width;
    onScale({
      plot: { x: plot.x, y: plot.y, width: plot.width, height: plot.height },
      toPixelX: (index) => p0 + ((index - d0) / (d1 - d0 || 1)) * (p1 - p0),
      toIndex: (px) => d0 + ((px - p0) / (p1 - p0 || 1)) * (d1 - d0),
      toValue: (py) => Number(yInverse(py)),
    });
  }, [x, yInverse, plot, domain, onScale]);
  return null;
}
