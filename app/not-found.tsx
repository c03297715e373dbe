import Link from "next/link";

export const metadata = { title: "Page not found · Tickstream" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-3 py-12">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p>
        Back to the{" "}
        <Link href="/" className="text-brand underline">
          dashboard
        </Link>
        .
      </p>
    </div>
  );
}
