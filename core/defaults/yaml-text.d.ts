// Item files imported `with { type: "text" }` are embedded in the executable as their text.
declare module "*.yaml" {
  const text: string;
  export default text;
}
