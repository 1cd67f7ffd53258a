import { defineCommand } from "citty";

export const examples: string[] = [];

export default defineCommand({ meta: { name: "diff" }, run: () => 0 });
