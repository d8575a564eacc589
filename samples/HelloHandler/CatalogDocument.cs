using System.Buffers;
using System.Text.Json;

namespace HelloHandler;

/// <summary>
/// The body of the cacheable dynamic benchmark response: a ~4 KiB JSON product catalogue serialised from a small
/// object list on every call, with a computed summary. Deterministic (same bytes every time), so the benchmark can
/// check the answer; no dependency on the engine, so the Kestrel peer compiles this same file and does the same work.
/// </summary>
public static class CatalogDocument
{
    private static readonly string[] Categories = ["tools", "garden", "kitchen", "office"];

    private static readonly Product[] Products = Enumerable.Range(1, 28).Select(i => new Product(
        i,
        $"Product {i:D2} — {Categories[i % Categories.Length]} edition",
        Categories[i % Categories.Length],
        Math.Round(3.5m + (i * 7.25m % 97), 2),
        (i * 37) % 120,
        [$"tag{i % 5}", $"tag{(i * 3) % 7}", i % 2 == 0 ? "even" : "odd"])).ToArray();

    /// <summary>Writes the document as UTF-8 JSON.</summary>
    public static void Write(IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("catalog", "bench");
        json.WriteNumber("version", 7);
        json.WriteStartArray("products");
        decimal total = 0;
        var inStock = 0;
        foreach (var product in Products)
        {
            json.WriteStartObject();
            json.WriteNumber("id", product.Id);
            json.WriteString("name", product.Name);
            json.WriteString("category", product.Category);
            json.WriteNumber("price", product.Price);
            json.WriteNumber("stock", product.Stock);
            json.WriteBoolean("available", product.Stock > 0);
            json.WriteStartArray("tags");
            foreach (var tag in product.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            total += product.Price * product.Stock;
            inStock += product.Stock > 0 ? 1 : 0;
        }

        json.WriteEndArray();
        json.WriteStartObject("summary");
        json.WriteNumber("count", Products.Length);
        json.WriteNumber("inStock", inStock);
        json.WriteNumber("inventoryValue", total);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record Product(int Id, string Name, string Category, decimal Price, int Stock, string[] Tags);
}
