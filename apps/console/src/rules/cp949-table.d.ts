declare module 'virtual:cp949-table' {
  /** base64 of a 65,536-bit map: bit c set when CP949 encodes the code unit c (build/cp949-table.ts) */
  const table: string;
  export default table;
}
