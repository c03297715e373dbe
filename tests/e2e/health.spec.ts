import { expect, test } from "./fixtures";

test("the health page says in plain words that PostgreSQL, Kafka and both workers are up", async ({
  page,
  request,
}) => {
  const response = await request.get("/api/health");
  const body = (await response.json()) as {
    status: string;
    kafka: { topics: { topic: string; partitions: number }[] };
  };
  expect(body.kafka.topics.map((t) => t.partitions)).toEqual([3, 3, 1]);

  await page.goto("/health");
  await expect(page.getByTestId("health-postgres")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("health-kafka")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("health-worker-stream")).toHaveAttribute("data-status", "ok", {
    timeout: 20_000,
  });
  await expect(page.getByTestId("health-worker-ingest")).toHaveAttribute("data-status", "ok", {
    timeout: 20_000,
  });
  await expect(page.getByTestId("health-summary")).toContainText("PostgreSQL is up");
  await expect(page.getByTestId("health-summary")).toContainText("Kafka is up");
});
